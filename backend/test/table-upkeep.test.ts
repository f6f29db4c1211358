/**
 * Where PostgreSQL's autovacuum leaves a table alone, the worker's leader keeps it vacuumed and its statistics fresh:
 * otherwise the keeper's lookup of a batch of bookings' items stays planned for the table as it was when nearly empty
 * and reads all of it, more with every booking.
 */
import { getDeployment } from "@trvl/abi";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { maintainTables } from "../src/db/maintenance.js";
import { startWorker } from "../src/worker/worker.js";
import { createTestApp, type TestApp } from "./helpers/app.js";
import { FAST_WORKER_ENV, waitUntil } from "./helpers/pipeline.js";

const BOOKINGS = 50_000;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const scannedWhole = (node: PlanNode): string[] => [
  ...(node["Node Type"] === "Seq Scan" && node["Relation Name"] ? [node["Relation Name"]] : []),
  ...(node.Plans ?? []).flatMap(scannedWhole),
];

describe("table upkeep where autovacuum is off (postgres)", () => {
  let t: TestApp;
  let sql: pg.Client;

  /** The tables the keeper's batch lookup of items reads whole (100 bookings, as the settle round sends them). */
  async function batchLookupScans(): Promise<string[]> {
    const ids = (await sql.query<{ id: string }>("select id from bookings order by id desc limit 100")).rows.map(
      (row) => row.id,
    );
    const { rows } = await sql.query(
      `explain (format json) select booking_id, order_cancelled_at from booking_items
       where booking_id in (${ids.map((_, i) => `$${i + 1}`).join(", ")}) and order_cancelled_at is not null`,
      ids,
    );
    return scannedWhole(rows[0]["QUERY PLAN"][0].Plan as PlanNode);
  }

  const statsOf = async (table: string) =>
    (
      await sql.query<{ analyzed: Date | null; dead: number; changed: number }>(
        `select greatest(last_analyze, last_autoanalyze) as analyzed, n_dead_tup::int as dead,
           n_mod_since_analyze::int as changed
         from pg_stat_user_tables where relname = $1`,
        [table],
      )
    ).rows[0]!;

  beforeAll(async () => {
    t = await createTestApp("postgres", { env: FAST_WORKER_ENV });
    sql = new pg.Client({ connectionString: t.database.url });
    await sql.connect();
    // A fresh database's statistics: the tables analyzed while empty; then autovacuum turned off for the items.
    await sql.query("analyze bookings; analyze booking_items");
    await sql.query("alter table booking_items set (autovacuum_enabled = false)");
    const { BookingEscrow } = getDeployment(31337).contracts;
    const seed = new pg.Client({ connectionString: t.database.url });
    await seed.connect();
    try {
      await seed.query(
        `insert into users (address) select '0x' || lpad(to_hex(g), 40, '0') from generate_series(1, 50) g`,
      );
      await seed.query(
        `insert into bookings (id, traveller, status, chain_id, escrow, token_address, token_symbol, token_decimals,
           amount, subtotal_cents, discount_cents, total_cents, commission_bps, supplier, check_in, check_out, guests,
           quote_expires_at, quote_deadline, signature, request_hash)
         select '0x' || lpad(to_hex(g), 64, '0'), '0x' || lpad(to_hex(1 + g % 50), 40, '0'), 'quoted', 31337, $2,
           '0x0000000000000000000000000000000000000000', 'ETH', 18, 10 ^ 15, 20000, 0, 20000, 1000, $2,
           '2030-01-01', '2030-01-03', 2, now() + interval '1 hour', 0, '0x', md5(g::text)
         from generate_series(1, $1) g`,
        [BOOKINGS, BookingEscrow.address],
      );
      await seed.query(
        `insert into booking_items (booking_id, position, item_id, type, name, provider, destination_id,
           unit_price_cents, quantity, total_cents, commission_bps)
         select b.id, p, 'demo-item-' || p, 'hotel', 'A hotel', 'demo', 'lisbon-pt-2267057', 10000, 1, 10000, 1000
         from bookings b cross join generate_series(0, 1) p`,
      );
      // Updates leave dead rows behind: half the items changed.
      await seed.query("update booking_items set quantity = 2 where position = 1");
    } finally {
      // Its activity counts reach the statistics views when its session ends.
      await seed.end();
    }
  });
  afterAll(async () => {
    await sql?.end();
    await t?.close();
  });

  it("vacuums and analyzes a table autovacuum skips once enough of it changed, and batch lookups read its index", async () => {
    await waitUntil("the inserts in the statistics", async () => (await statsOf("booking_items")).changed > 0);
    const analyzedEmpty = (await statsOf("booking_items")).analyzed!;
    // As a fresh database plans it: the 100,000 items read whole to find a hundred bookings'.
    expect(await batchLookupScans()).toContain("booking_items");

    const worker = startWorker(t.services);
    try {
      await waitUntil(
        "the leader's table upkeep",
        async () => (await statsOf("booking_items")).analyzed! > analyzedEmpty,
      );
    } finally {
      await worker.stop();
    }
    const stats = await statsOf("booking_items");
    expect(stats.changed).toBe(0);
    expect(stats.dead).toBe(0);
    expect(await batchLookupScans()).toEqual([]);

    // Nothing changed since: the next pass leaves it alone.
    expect((await maintainTables(t.services.db)).analyzed).not.toContain("booking_items");
    expect((await maintainTables(t.services.db)).vacuumed).not.toContain("booking_items");
  });
});
