/**
 * The e2e's editing step: the plan page's latest plan saved as a trip ("Save and edit this trip") and changed on its
 * day cards — an activity swapped for one of its alternatives, a dinner removed, an item moved to another day or
 * time — each edit re-priced by the API and the page showing the new total. Returns the trip's plan as edited, which
 * the caller books from the trip's page.
 */
import assert from "node:assert/strict";

import type { Page } from "playwright-core";

import type { Plan, PlanItem } from "../src/lib/api.ts";
import { formatMoney } from "../src/lib/format.ts";

const cents = (amount: string) => BigInt(amount.replace(".", ""));
const itemsOf = (plan: Plan) => plan.days.flatMap((day) => day.items);
const key = (item: PlanItem) => `${item.itemId}@${item.date}`;
const later = (time: string, minutes: number) => {
  const at = Number(time.slice(0, 2)) * 60 + Number(time.slice(3)) + minutes;
  return `${String(Math.floor(at / 60) % 24).padStart(2, "0")}:${String(at % 60).padStart(2, "0")}`;
};

export async function editSavedTrip(page: Page, apiUrl: string, plan: Plan, expectedFailures: RegExp[]): Promise<Plan> {
  await page.getByRole("button", { name: "Save and edit this trip" }).click();
  await page.waitForURL(/\/trips\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  const id = page.url().split("/").pop()!;
  await page.getByTestId("trip-status").filter({ hasText: "Draft" }).waitFor();
  await page
    .getByTestId("trip-total")
    .filter({ hasText: formatMoney(plan.totals.total.amount) })
    .waitFor();
  // An edit that does not fit is answered 409 with the reason, which the page shows: not a failure of the page.
  // (The pattern matches the failed response, "POST …/edits → 409", and the browser's console line naming its URL.)
  expectedFailures.push(new RegExp(`^(?:POST )?${apiUrl}/trips/${id}/edits(?: → 409)?$`));

  let current = plan;
  /** Does something on the page that sends one edit; returns the edited plan, or the API's reason for refusing it. */
  async function edit(act: () => Promise<void>): Promise<{ plan: Plan } | { refused: string }> {
    const answer = page.waitForResponse(
      (r) => r.url() === `${apiUrl}/trips/${id}/edits` && r.request().method() === "POST",
    );
    await act();
    const response = await answer;
    const body = (await response.json()) as { plan: Plan } & { error: { message: string } };
    if (response.status() !== 200) {
      assert.equal(response.status(), 409, JSON.stringify(body));
      await page.getByTestId("trip-edit-outcome").filter({ hasText: body.error.message }).waitFor();
      return { refused: body.error.message };
    }
    const after = body.plan;
    // Re-priced: the total is the sum of the items, each priced as the quote prices it, and the page shows it.
    const sum = itemsOf(after).reduce((total, item) => total + cents(item.total.amount), 0n);
    assert.equal(cents(after.totals.total.amount), sum, "the edited trip's total is the sum of its items");
    const total = formatMoney(after.totals.total.amount);
    await page.getByTestId("trip-total").filter({ hasText: total }).waitFor();
    await page.getByTestId("trip-edit-outcome").filter({ hasText: total }).waitFor();
    current = after;
    return { plan: after };
  }
  const row = (dayIndex: number, name: string) =>
    page.getByTestId("plan-day").nth(dayIndex).locator("ul > li", { hasText: name }).first();

  // Swap an activity of the first full day for the first of its three alternatives.
  const activity = current.days[1].items.find((item) => item.type === "activity")!;
  await row(1, activity.name).getByRole("button", { name: "Swap", exact: true }).click();
  const alternatives = page.getByTestId("alternatives");
  await alternatives.waitFor();
  assert.ok((await alternatives.getByRole("listitem").count()) <= 3, "at most three alternatives");
  const before = new Set(itemsOf(current).map(key));
  const swapped = await edit(() => alternatives.getByRole("button", { name: "Swap for this" }).first().click());
  assert.ok("plan" in swapped, `the swap fits: ${JSON.stringify(swapped)}`);
  const swappedIn = swapped.plan.days[1].items.find((item) => item.type === "activity" && !before.has(key(item)))!;
  assert.ok(swappedIn, "an activity swapped in on that day");
  assert.ok(!itemsOf(current).some((item) => key(item) === key(activity)), "the activity swapped out is gone");
  await row(1, swappedIn.name).waitFor();

  // Remove a dinner: the total drops by exactly its price.
  const dinner = itemsOf(current).find((item) => item.type === "restaurant")!;
  const totalBefore = cents(current.totals.total.amount);
  const dayOfDinner = current.days.findIndex((day) => day.date === dinner.date);
  const removed = await edit(() => row(dayOfDinner, dinner.name).getByRole("button", { name: "Remove" }).click());
  assert.ok("plan" in removed, `the removal is made: ${JSON.stringify(removed)}`);
  assert.equal(cents(removed.plan.totals.total.amount), totalBefore - cents(dinner.total.amount));

  // Move the swapped-in activity: to another day where it fits, else to a later time that day.
  let moved = false;
  for (const [index, day] of current.days.entries()) {
    if (index === 1 || moved) continue;
    await row(1, swappedIn.name).getByRole("button", { name: "Move", exact: true }).click();
    const form = page.getByRole("form", { name: `Move ${swappedIn.name}` });
    await form.getByLabel("Day").selectOption(day.date);
    const answer = await edit(() => form.getByRole("button", { name: "Move it" }).click());
    if ("plan" in answer) {
      moved = true;
      assert.ok(
        answer.plan.days[index].items.some((item) => item.itemId === swappedIn.itemId),
        "moved to that day",
      );
      await row(index, swappedIn.name).waitFor();
    } else await row(1, swappedIn.name).getByRole("button", { name: "Move", exact: true }).click();
  }
  if (!moved) {
    await row(1, swappedIn.name).getByRole("button", { name: "Move", exact: true }).click();
    const form = page.getByRole("form", { name: `Move ${swappedIn.name}` });
    const time = later(swappedIn.time, 60);
    await form.getByLabel("Time (optional)").fill(time);
    const answer = await edit(() => form.getByRole("button", { name: "Move it" }).click());
    assert.ok("plan" in answer, `the move fits another day or an hour later: ${JSON.stringify(answer)}`);
    const there = answer.plan.days[1].items.find((item) => item.itemId === swappedIn.itemId)!;
    assert.deepEqual([there.time, there.fixedTime], [time, true]);
    await row(1, swappedIn.name).getByText("At the time you chose.").waitFor();
  }
  return current;
}
