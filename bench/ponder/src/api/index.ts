/** How many events Ponder stored: the benchmark checks it indexed the same events as the backend. */
import { Hono } from "hono";
import { count } from "ponder";
import { db } from "ponder:api";
import { chainEvent } from "ponder:schema";

const app = new Hono();
app.get("/events/count", async (c) => {
  const [row] = await db.select({ events: count() }).from(chainEvent);
  return c.json({ events: row?.events ?? 0 });
});

export default app;
