"use client";

import type { Plan } from "@/lib/api";

/** One traveller as an airline tickets them (the API's Passenger). */
export interface Passenger {
  title: "mr" | "ms" | "mrs" | "miss" | "dr";
  givenName: string;
  familyName: string;
  bornOn: string;
  gender: "m" | "f";
  email: string;
  phoneNumber: string;
}

/**
 * Whether booking the plan needs its passengers: it books a live airline flight or a live hotel (booked in the guests'
 * names), not demo inventory.
 */
export function needsPassengers(plan: Pick<Plan, "booking" | "days">): boolean {
  const booked = new Set(plan.booking.items.map((line) => line.itemId));
  return plan.days.some((day) =>
    day.items.some(
      (item) =>
        (item.type === "flight" || item.type === "hotel") &&
        !item.itemId.startsWith("demo-") &&
        booked.has(item.itemId),
    ),
  );
}

export const emptyPassenger = (): Passenger => ({
  title: "ms",
  givenName: "",
  familyName: "",
  bornOn: "",
  gender: "f",
  email: "",
  phoneNumber: "",
});

// Each field fits its column of the narrow trip panel (an input is wider than that by default).
const input = "w-full min-w-0 rounded-lg border border-slate-300 px-2 py-1.5";

/** The free-text fields, in order, each with the browser's own check. */
const TEXT_FIELDS: {
  key: "givenName" | "familyName" | "bornOn" | "email" | "phoneNumber";
  label: string;
  type: string;
  autoComplete?: string;
  wide?: boolean;
  pattern?: string;
  placeholder?: string;
  title?: string;
}[] = [
  { key: "givenName", label: "Given name", type: "text", autoComplete: "given-name" },
  { key: "familyName", label: "Family name", type: "text", autoComplete: "family-name" },
  { key: "bornOn", label: "Date of birth", type: "date" },
  { key: "email", label: "Email", type: "email", autoComplete: "email" },
  {
    key: "phoneNumber",
    label: "Phone, international format",
    type: "tel",
    autoComplete: "tel",
    wide: true,
    pattern: "\\+[1-9][0-9]{6,14}",
    placeholder: "+442080160509",
    title: "A plus sign, the country code and the number, no spaces",
  },
];

/** Each field as a sentence names it. */
const FIELD_NAMES: Record<keyof Passenger, string> = {
  title: "title",
  givenName: "given name",
  familyName: "family name",
  bornOn: "date of birth",
  gender: "gender",
  email: "email",
  phoneNumber: "phone",
};

/**
 * The API names a passenger's bad field by its path (`body.passengers.1.bornOn is after the trip starts`,
 * `body.passengers.0.givenName: must be letters…`): said as the form shows it ("Passenger 2's date of birth is after
 * the trip starts"). Any other message is returned as it is.
 */
export function passengerErrorSentence(message: string): string {
  const match = /^body\.passengers\.(\d+)\.(\w+):? (.+)$/.exec(message);
  const field = match ? FIELD_NAMES[match[2] as keyof Passenger] : undefined;
  if (!match || !field) return message;
  return `Passenger ${Number(match[1]) + 1}'s ${field} ${match[3]}`;
}

/**
 * The passengers of a trip with a flight, one fieldset per guest, as on their passports: sent with the booking and
 * only to the airline. The browser checks each field (required, email, date, phone format) before booking.
 */
export function PassengersForm({
  passengers,
  onChange,
}: {
  passengers: Passenger[];
  onChange: (index: number, patch: Partial<Passenger>) => void;
}) {
  const set = onChange;
  return (
    <div className="mt-4 grid gap-3">
      <p className="text-sm text-slate-600">
        The flight is ticketed by name: enter each passenger as on their passport.
      </p>
      {passengers.map((passenger, index) => (
        <fieldset key={index} className="grid gap-2 rounded-lg border border-slate-200 p-3 text-sm sm:grid-cols-2">
          <legend className="px-1 font-medium">Passenger {index + 1}</legend>
          <label className="grid min-w-0 gap-1">
            Title
            <select
              className={input}
              value={passenger.title}
              onChange={(e) => set(index, { title: e.target.value as Passenger["title"] })}
            >
              <option value="ms">Ms</option>
              <option value="mr">Mr</option>
              <option value="mrs">Mrs</option>
              <option value="miss">Miss</option>
              <option value="dr">Dr</option>
            </select>
          </label>
          <label className="grid min-w-0 gap-1">
            Gender (as on the passport)
            <select
              className={input}
              value={passenger.gender}
              onChange={(e) => set(index, { gender: e.target.value as Passenger["gender"] })}
            >
              <option value="f">Female</option>
              <option value="m">Male</option>
            </select>
          </label>
          {TEXT_FIELDS.map(({ key, label, type, autoComplete, wide, ...rules }) => (
            <label key={key} className={`grid min-w-0 gap-1 ${wide ? "sm:col-span-2" : ""}`}>
              {label}
              <input
                className={input}
                type={type}
                required
                {...rules}
                // The browser fills in the first passenger only: the others are other people.
                autoComplete={index === 0 && autoComplete ? autoComplete : "off"}
                value={passenger[key]}
                onChange={(e) =>
                  set(index, { [key]: key === "phoneNumber" ? e.target.value.replace(/[\s()-]/g, "") : e.target.value })
                }
              />
            </label>
          ))}
        </fieldset>
      ))}
    </div>
  );
}
