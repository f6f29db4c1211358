/**
 * The e2e's live-flight step, with the stack's Duffel pointed at the local Duffel stub (DUFFEL_API_URL): the traveller
 * plans a new trip to Lisbon for two, saves it, and adds a flight from JFK from the first day's search, where the live
 * offer comes first. Booking it asks for the passengers, one fieldset each: a phone the browser refuses sends nothing,
 * a birth date after the trip is refused by the API with the passenger and field named, and nothing is booked; with
 * valid passengers the booking is made and paid, the keeper places the order with Duffel (the stub receives the
 * passengers by name) and the booking page shows its booking reference. Cancelling then cancels the order with Duffel
 * (the reference is shown struck through) and refunds the payment.
 */
import assert from "node:assert/strict";

import { PASSENGERS, type DuffelStub } from "@trvl/backend/test/duffel-stub";
import type { Page } from "playwright-core";

import type { Plan, PlanResult } from "../src/lib/api.ts";
import { formatMoney } from "../src/lib/format.ts";

/** The Duffel test-mode token the e2e's stack is started with (the stub takes any). */
export const DUFFEL_TEST_TOKEN = "duffel_test_e2e";

/** The offer the stub answers first for any search (Stub Airways, JFK → LIS), and its price. */
const OFFER = { id: "off_0001stub", name: "Stub Airways JFK → LIS", amount: "412.37" };

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const cents = (amount: string) => BigInt(amount.replace(".", ""));

export async function bookLiveFlight(
  page: Page,
  urls: { api: string },
  duffel: DuffelStub,
  stay: { checkIn: string; checkOut: string },
  expectedFailures: RegExp[],
  visit: (page: Page, name: string) => Promise<void>,
): Promise<{ bookingId: string; reference: string }> {
  const bookingsOfTraveller = async () =>
    (
      (await page.evaluate(
        async (api) => (await (await fetch(`${api}/bookings`, { credentials: "include" })).json()) as unknown,
        urls.api,
      )) as { bookings: { id: string }[] }
    ).bookings.length;

  // A new conversation: a trip to Lisbon for two, no flight in it (nobody said where from).
  await page.getByRole("link", { name: "Plan", exact: true }).click();
  await page.getByRole("heading", { name: "Plan a trip" }).waitFor();
  await page.getByRole("button", { name: "Start a new trip" }).click();
  const answer = page.waitForResponse((r) => r.url() === `${urls.api}/planner/plan` && r.request().method() === "POST");
  await page
    .getByRole("textbox", { name: "Your trip request" })
    .fill(`A trip to Lisbon from ${stay.checkIn} to ${stay.checkOut} for two`);
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const result = (await (await answer).json()) as PlanResult;
  assert.equal(result.status, "plan", `a plan, not: ${result.reply}`);
  const plan = (result as Extract<PlanResult, { status: "plan" }>).plan;
  assert.deepEqual([plan.destination.name, plan.checkIn, plan.booking.guests], ["Lisbon", stay.checkIn, 2]);
  assert.ok(!plan.days.some((day) => day.items.some((item) => item.type === "flight")), "no flight planned yet");

  await page.getByRole("button", { name: "Save and edit this trip" }).click();
  await page.waitForURL(/\/trips\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const tripId = page.url().split("/").pop()!;
  await page
    .getByTestId("trip-total")
    .filter({ hasText: formatMoney(plan.totals.total.amount) })
    .waitFor();
  const passenger = (n: number) => page.getByRole("group", { name: `Passenger ${n}`, exact: true });
  assert.equal(await passenger(1).count(), 0, "no passengers asked for without a live flight");

  // The first day's search, flights from JFK: Duffel's offer for the day and the party comes first.
  await page.getByTestId("plan-day").first().getByRole("button", { name: "+ Add from search" }).click();
  const search = page.getByTestId("add-from-search");
  await search.getByLabel("Kind").selectOption("flight");
  await search.getByLabel("From (airport code)").fill("JFK");
  const offer = search
    .getByRole("listitem")
    .filter({ hasText: OFFER.name })
    .filter({ hasText: formatMoney(OFFER.amount) });
  await offer.waitFor({ timeout: 20_000 });
  const asked = duffel.seen.find(
    (request) => request.method === "POST" && request.url.startsWith("/air/offer_requests"),
  );
  assert.ok(asked, "the API asked Duffel for offers");
  assert.equal(asked.authorization, `Bearer ${DUFFEL_TEST_TOKEN}`, "with the configured test token");
  const [slice] = asked.body?.data.slices ?? [];
  assert.deepEqual([slice?.origin, slice?.destination, slice?.departure_date], ["JFK", "LIS", stay.checkIn]);
  assert.equal(asked.body?.data.passengers.length, 2, "for the trip's two guests");

  const edited = page.waitForResponse(
    (r) => r.url() === `${urls.api}/trips/${tripId}/edits` && r.request().method() === "POST",
  );
  await offer.getByRole("button", { name: "Add" }).click();
  const editResponse = await edited;
  assert.equal(editResponse.status(), 200, await editResponse.text());
  const withFlight = ((await editResponse.json()) as { plan: Plan }).plan;
  const flight = withFlight.days[0].items.find((item) => item.itemId === `duffel-${OFFER.id}`);
  assert.ok(flight, "the live flight is on the first day");
  assert.equal(
    cents(withFlight.totals.total.amount),
    cents(plan.totals.total.amount) + cents(OFFER.amount),
    "the trip costs the flight's price more",
  );
  await page.getByTestId("plan-day").first().getByText(OFFER.name).waitFor();
  await page
    .getByTestId("trip-total")
    .filter({ hasText: formatMoney(withFlight.totals.total.amount) })
    .waitFor();

  // The flight is ticketed by name: one fieldset per guest.
  await passenger(2).waitFor();
  assert.equal(await page.getByRole("group", { name: /^Passenger \d$/ }).count(), 2, "one fieldset per guest");
  for (const [index, p] of PASSENGERS.entries()) {
    const group = passenger(index + 1);
    await group.getByLabel("Title").selectOption(p.title);
    await group.getByLabel("Gender (as on the passport)").selectOption(p.gender);
    await group.getByLabel("Given name").fill(p.givenName);
    await group.getByLabel("Family name").fill(p.familyName);
    await group.getByLabel("Date of birth").fill(p.bornOn);
    await group.getByLabel("Email").fill(p.email);
    await group.getByLabel("Phone, international format").fill(p.phoneNumber);
  }
  await visit(page, "trip-live-flight");
  let bookingRequests = 0;
  const countBookingRequests = (request: { method(): string; url(): string }) => {
    if (request.method() === "POST" && request.url() === `${urls.api}/bookings`) bookingRequests += 1;
  };
  page.on("request", countBookingRequests);
  const bookingsBefore = await bookingsOfTraveller();
  const book = page.getByRole("button", { name: "Book this trip" });

  // A phone without its country code: the browser takes the traveller to it, says what it wants, sends nothing.
  const phone = passenger(2).getByLabel("Phone, international format");
  await phone.fill("020 8016 0509");
  await book.click();
  const refusal = await phone.evaluate((element) => {
    // Typed by hand: this file is type-checked without the DOM's types.
    const input = element as unknown as {
      ownerDocument: { activeElement: unknown };
      validity: { patternMismatch: boolean };
      validationMessage: string;
      title: string;
    };
    return {
      focused: input.ownerDocument.activeElement === element,
      mismatch: input.validity.patternMismatch,
      message: input.validationMessage,
      hint: input.title,
    };
  });
  assert.deepEqual([refusal.focused, refusal.mismatch], [true, true], "the bad phone is refused and focused");
  assert.ok(refusal.message, "the browser's message for it");
  assert.equal(refusal.hint, "A plus sign, the country code and the number, no spaces");
  await phone.fill(PASSENGERS[1].phoneNumber);

  // Born the day after the trip starts: the API refuses it, naming the passenger and the field; nothing is booked.
  expectedFailures.push(new RegExp(`^(?:POST )?${urls.api}/bookings(?: → 400)?$`));
  await passenger(2).getByLabel("Date of birth").fill(nextDay(stay.checkIn));
  const refused = page.waitForResponse((r) => r.url() === `${urls.api}/bookings` && r.request().method() === "POST");
  await book.click();
  const refusedResponse = await refused;
  assert.equal(refusedResponse.status(), 400);
  assert.equal(
    ((await refusedResponse.json()) as { error: { message: string } }).error.message,
    "body.passengers.1.bornOn is after the trip starts",
  );
  await page.getByRole("alert").filter({ hasText: "Passenger 2's date of birth is after the trip starts" }).waitFor();
  assert.equal(bookingRequests, 1, "the bad phone sent nothing; the bad birth date one request, refused");
  assert.equal(await bookingsOfTraveller(), bookingsBefore, "nothing was booked");
  assert.match(page.url(), new RegExp(`/trips/${tripId}$`), "still on the trip");
  await page.getByTestId("trip-status").filter({ hasText: "Draft" }).waitFor();

  // Valid passengers: booked, then paid with the burner (permit and one transaction).
  await passenger(2).getByLabel("Date of birth").fill(PASSENGERS[1].bornOn);
  await book.click();
  await page.waitForURL(/\/bookings\/0x[0-9a-f]{64}$/, { timeout: 30_000 });
  page.off("request", countBookingRequests);
  assert.equal(bookingRequests, 2);
  const bookingId = page.url().split("/").pop()!;
  await page.getByText(OFFER.name).first().waitFor();
  assert.equal(duffel.orders.length, 0, "no order before the booking is paid");
  await page.getByRole("button", { name: /^Pay \d/ }).click();
  await page.getByTestId("booking-status").filter({ hasText: "Confirmed" }).waitFor({ timeout: 60_000 });

  // The keeper placed one order for the offer, with the passengers as typed, and the page shows its reference.
  const [order, ...more] = duffel.ordersOf(OFFER.id);
  assert.ok(order && more.length === 0, "one Duffel order for the offer");
  assert.deepEqual(
    order.passengers.map((p: { given_name: string; family_name: string; born_on: string; phone_number: string }) => [
      p.given_name,
      p.family_name,
      p.born_on,
      p.phone_number,
    ]),
    PASSENGERS.map((p) => [p.givenName, p.familyName, p.bornOn, p.phoneNumber]),
  );
  assert.equal(order.metadata.trvl_booking_id, bookingId, "the order names the booking");
  const reference = order.booking_reference as string;
  const shown = page.getByTestId("item-booking-reference").filter({ hasText: reference });
  await shown.waitFor({ timeout: 20_000 });
  await visit(page, "booking-live-flight");

  // Cancelled while Duffel's hold lasts: the order is cancelled with Duffel and the payment comes back.
  await page.getByRole("button", { name: "Cancel and refund" }).click();
  await page
    .getByTestId("confirm-cancel")
    .getByRole("button", { name: /^Cancel and get .* back$/ })
    .click();
  await page.getByTestId("booking-status").filter({ hasText: "Refunded" }).waitFor({ timeout: 60_000 });
  await shown.filter({ hasText: "cancelled" }).waitFor({ timeout: 20_000 });
  await page.getByText("Your payment was returned from the escrow to your wallet.").waitFor();
  assert.ok(order.cancelled_at, "Duffel cancelled the order");
  assert.ok(
    [...duffel.cancellations.values()].some((c) => c.order_id === order.id && c.confirmed_at),
    "the cancellation was confirmed with Duffel",
  );
  return { bookingId, reference };
}
