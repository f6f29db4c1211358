/**
 * The e2e's profile step: the traveller ticks an interest on the Profile page and saves it; For you on the plan page
 * then recommends it and says why ("Because you like nightlife"); opening an item's details records a view, and
 * liking one re-ranks the list, which now says it follows the like.
 */
import assert from "node:assert/strict";

import type { Page, Response } from "playwright-core";

import type { Profile, Recommendations } from "../src/lib/api.ts";

export async function profileAndForYou(page: Page, apiUrl: string, visit: (page: Page, name: string) => Promise<void>) {
  const answer = (method: string, path: string) =>
    page.waitForResponse((r) => r.request().method() === method && r.url().split("?")[0] === `${apiUrl}${path}`, {
      timeout: 30_000,
    });
  const json = async <T>(response: Response, status: number): Promise<T> => {
    assert.equal(response.status(), status, `${response.url()}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  await page.getByRole("link", { name: "Profile", exact: true }).click();
  const form = page.getByTestId("profile-form");
  await form.waitFor({ timeout: 20_000 });
  await visit(page, "profile");
  await form.getByRole("checkbox", { name: "Nightlife", exact: true }).check();
  const saving = answer("PUT", "/me/profile");
  await form.getByRole("button", { name: "Save preferences" }).click();
  const saved = await json<Profile>(await saving, 200);
  assert.deepEqual(saved.interests, ["nightlife"]);
  await page.getByTestId("profile-saved").waitFor();

  const recommending = answer("GET", "/recommendations");
  await page.getByRole("link", { name: "Plan", exact: true }).click();
  const first = await json<Recommendations>(await recommending, 200);
  assert.equal(first.personalised, true, "the saved interest personalises For you");
  const [top] = first.items;
  assert.ok(top.item.details.kind === "activity" && top.item.details.category === "nightlife", "nightlife first");
  assert.equal(top.reason, "Because you like nightlife");
  const forYou = page.getByTestId("for-you");
  await forYou.getByTestId("for-you-reason").filter({ hasText: "Because you like nightlife" }).first().waitFor();

  const viewing = answer("POST", "/interactions");
  await forYou.getByTestId("for-you-item").first().getByText("More about it").click();
  assert.equal((await json<{ kind: string }>(await viewing, 201)).kind, "view");

  const liking = answer("POST", "/interactions");
  const rerank = answer("GET", "/recommendations");
  await forYou
    .getByTestId("for-you-item")
    .first()
    .getByRole("button", { name: `Like ${top.item.name}`, exact: true })
    .click();
  assert.equal((await json<{ kind: string }>(await liking, 201)).kind, "like");
  const after = await json<Recommendations>(await rerank, 200);
  const because = `Because you liked ${top.item.name}`;
  assert.ok(
    after.items.some((r) => r.reason === because),
    `a reason is the like: ${JSON.stringify(after.items)}`,
  );
  await forYou.getByTestId("for-you-reason").filter({ hasText: because }).first().waitFor();
  await forYou
    .getByRole("button", { name: `Liked ${top.item.name}`, pressed: true })
    .first()
    .waitFor();
  await visit(page, "plan-for-you");
}
