/**
 * A user's live-update streams (GET /events) are capped: opening one more than SSE_STREAMS_PER_USER closes that
 * user's oldest, which is told so and, reconnecting as EventSource does, is told to stop. Other users are unaffected.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CHANGES_CHANNEL } from "../src/push/changes.js";
import { createTestApp, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { DRIVERS } from "./helpers/databases.js";

interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

/** Reads a server-sent event stream event by event. */
function eventReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return {
    /** The next event, or undefined when the server ended the stream. Comments (keep-alives) are skipped. */
    async next(): Promise<SseEvent | undefined> {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = block.split("\n").filter((line) => line && !line.startsWith(":"));
          if (fields.length === 0) continue;
          const field = (name: string) =>
            fields.find((line) => line.startsWith(`${name}:`))?.replace(new RegExp(`^${name}: ?`), "");
          return { event: field("event") ?? "message", id: field("id"), data: field("data") ?? "" };
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffer += value;
      }
    },
    close: () => reader.cancel().catch(() => {}),
  };
}

describe.each(DRIVERS)("live-update streams per user (%s)", (driver) => {
  let t: TestApp;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    t = await createTestApp(driver, { env: { SSE_STREAMS_PER_USER: "2" } });
    alice = await signIn(t.app, testAccount(18));
    bob = await signIn(t.app, testAccount(19));
  });
  afterAll(() => t.close());

  const open = (token: string, headers: Record<string, string> = {}) =>
    t.app.request("/events", { headers: { authorization: `Bearer ${token}`, ...headers } });

  /** A stream that has said `ready` (so it is registered). */
  async function stream(token: string) {
    const response = await open(token);
    expect(response.status).toBe(200);
    const events = eventReader(response);
    expect((await events.next())?.event).toBe("ready");
    return events;
  }

  it("one stream too many closes the user's oldest, which is told not to come back; the newest all stay live", async () => {
    const bobs = await stream(bob);
    const [first, second, third] = [await stream(alice), await stream(alice), await stream(alice)];

    const closing = await first.next();
    expect(closing).toMatchObject({ event: "closed" });
    expect(JSON.parse(closing!.data)).toMatchObject({ reason: "too_many_streams", limit: 2 });
    expect(await first.next()).toBeUndefined();
    expect(t.services.push.streams).toBe(3);

    // EventSource reconnects after the stream ends, with the id of the last event: told 204, it stops for good.
    const reconnect = await open(alice, { "last-event-id": closing!.id! });
    expect(reconnect.status).toBe(204);
    expect(t.services.push.streams).toBe(3);

    // The streams kept still receive the user's changes, and Bob's was never touched.
    const change = JSON.stringify({ accounts: [testAccount(18).address, testAccount(19).address] });
    await t.services.db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${change})`);
    for (const kept of [second, third, bobs]) expect((await kept.next())?.event).toBe("account");

    for (const kept of [second, third, bobs]) await kept.close();
  });
});
