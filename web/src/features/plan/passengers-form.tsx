"use client";

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

export const emptyPassenger = (): Passenger => ({
  title: "ms",
  givenName: "",
  familyName: "",
  bornOn: "",
  gender: "f",
  email: "",
  phoneNumber: "",
});

const input = "rounded-lg border border-slate-300 px-2 py-1.5";

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
          <label className="grid gap-1">
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
          <label className="grid gap-1">
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
          <label className="grid gap-1">
            Given name
            <input
              className={input}
              required
              autoComplete={index === 0 ? "given-name" : "off"}
              value={passenger.givenName}
              onChange={(e) => set(index, { givenName: e.target.value })}
            />
          </label>
          <label className="grid gap-1">
            Family name
            <input
              className={input}
              required
              autoComplete={index === 0 ? "family-name" : "off"}
              value={passenger.familyName}
              onChange={(e) => set(index, { familyName: e.target.value })}
            />
          </label>
          <label className="grid gap-1">
            Date of birth
            <input
              className={input}
              type="date"
              required
              value={passenger.bornOn}
              onChange={(e) => set(index, { bornOn: e.target.value })}
            />
          </label>
          <label className="grid gap-1">
            Email
            <input
              className={input}
              type="email"
              required
              autoComplete={index === 0 ? "email" : "off"}
              value={passenger.email}
              onChange={(e) => set(index, { email: e.target.value })}
            />
          </label>
          <label className="grid gap-1 sm:col-span-2">
            Phone, international format
            <input
              className={input}
              type="tel"
              required
              pattern="\+[1-9][0-9]{6,14}"
              placeholder="+442080160509"
              title="A plus sign, the country code and the number, no spaces"
              autoComplete={index === 0 ? "tel" : "off"}
              value={passenger.phoneNumber}
              onChange={(e) => set(index, { phoneNumber: e.target.value.replace(/[\s()-]/g, "") })}
            />
          </label>
        </fieldset>
      ))}
    </div>
  );
}
