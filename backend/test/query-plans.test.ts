/**
 * Every query the API, the listener and the keeper send, planned by Postgres over 100,000 bookings: none reads a
 * large table from end to end (a sequential scan), so nothing slows down as bookings pile up. The statements are
 * the app's own, captured as it serves requests and runs its worker, then explained with their parameters.
 */
import { getDeployment } from "@trvl/abi";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startWorker } from "../src/worker/worker.js";
import { call, createTestApp, signIn, testAccount, type TestApp } from "./helpers/app.js";
import { keeperKey } from "./helpers/chain.js";
import { testClock } from "./helpers/clock.js";
import { FAST_WORKER_ENV, waitUntil } from "./helpers/pipeline.js";

const BOOKINGS = 100_000;
/** Bookings whose finished jobs are past their retention. */
const PRUNABLE = 2_500;
/** Tables that grow with every booking. */
const LARGE_TABLES = new Set(["bookings", "booking_items", "keeper_jobs", "rewards"]);
/** Statements that read a whole table by design, and why that is fine. */
const WHOLE_TABLE_BY_DESIGN: [RegExp, string][] = [
  [
    /^select "kind", "status", count\(\*\)::int from "keeper_jobs" group by/,
    "job counts for the metrics: at most once a second, over a table that pruning keeps bounded",
  ],
];

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

function sequentialScans(node: PlanNode): string[] {
  const own = node["Node Type"] === "Seq Scan" && node["Relation Name"] ? [node["Relation Name"]] : [];
  return [...own, ...(node.Plans ?? []).flatMap(sequentialScans)];
}

describe("query plans at 100,000 bookings (postgres)", () => {
  let t: TestApp;
  let capturing = false;
  const statements = new Map<string, unknown[]>();
  const me = testAccount(9);

  beforeAll(async () => {
    t = await createTestApp("postgres", {
      env: { ...FAST_WORKER_ENV, KEEPER_PRIVATE_KEY: await keeperKey(), KEEPER_JOB_RETENTION_HOURS: "1" },
      onQuery: (query, params) => {
        if (capturing && /^\s*(select|insert|update|delete|with)\b/i.test(query)) statements.set(query, params);
      },
    });
    await signIn(t.app, me);
    const { contracts } = getDeployment(31337);
    const seed = new pg.Client({ connectionString: t.database.url });
    await seed.connect();
    try {
      const now = testClock();
      const old = new Date(now.getTime() - 2 * 3_600_000);
      const traveller = (g: string) =>
        `case when ${g} % 500 = 0 then $1 else '0x' || lpad(to_hex(1 + ${g} % 1000), 40, '0') end`;
      await seed.query(
        `insert into users (address) select '0x' || lpad(to_hex(g), 40, '0') from generate_series(1, 1000) g on conflict do nothing`,
      );
      // Rewarded bookings, a few hundred of them the signed-in traveller's; the last 50 confirmed and waiting to settle.
      await seed.query(
        `insert into bookings (id, traveller, status, chain_id, escrow, token_address, token_symbol, token_decimals,
           amount, subtotal_cents, discount_cents, total_cents, commission_bps, supplier, check_in, check_out, guests,
           quote_expires_at, quote_deadline, signature, request_hash, paid_tx_hash, paid_block_number, paid_at,
           confirmed_at, settled_tx_hash, settled_block_number, settled_at, rewarded_tx_hash, rewarded_block_number,
           rewarded_at, receipt_cid, created_at, updated_at)
         select '0x' || lpad(to_hex(g), 64, '0'), ${traveller("g")},
           (case when g > $2 - 50 then 'confirmed' else 'rewarded' end)::booking_status, 31337, $3,
           '0x0000000000000000000000000000000000000000', 'ETH', 18, 10 ^ 15, 20000, 0, 20000, 1000, $4,
           '2030-01-01', '2030-01-03', 2, $5, 0, '0x', md5(g::text), '0x' || md5(g::text), g, $5, $5,
           case when g > $2 - 50 then null else '0x' || md5(g::text) end, case when g > $2 - 50 then null else g end,
           case when g > $2 - 50 then null else $5::timestamptz end,
           case when g > $2 - 50 then null else '0x' || md5(g::text) end, case when g > $2 - 50 then null else g end,
           case when g > $2 - 50 then null else $5::timestamptz end, 'bafy' || g, $5, $5
         from generate_series(1, $2) g`,
        [me.address, BOOKINGS, contracts.BookingEscrow.address, contracts.BookingEscrow.address, old],
      );
      await seed.query(
        `insert into booking_items (booking_id, position, item_id, type, name, provider, destination_id,
           unit_price_cents, quantity, total_cents, commission_bps)
         select b.id, p, 'demo-item-' || p, 'hotel', 'A hotel', 'demo', 'lisbon-pt-2267057', 10000, 1, 10000, 1000
         from bookings b cross join generate_series(0, 1) p`,
      );
      // Jobs of the first PRUNABLE bookings finished before the retention began; the rest just now.
      await seed.query(
        `insert into keeper_jobs (kind, booking_id, status, run_after, created_at, updated_at)
         select k::keeper_job_kind, b.id,
           (case when b.status = 'confirmed' and k = 'settle' then 'pending' else 'done' end)::keeper_job_status,
           $1::timestamptz, $1::timestamptz, case when b.paid_block_number <= $3 then $1::timestamptz else $2::timestamptz end
         from bookings b cross join unnest(array['confirm', 'settle', 'distribute']) k
         where not (b.status = 'confirmed' and k = 'distribute')`,
        [old, now, PRUNABLE],
      );
      await seed.query(
        `insert into rewards (chain_id, tx_hash, log_index, role, booking_id, recipient, amount, block_number, block_time)
         select 31337, b.rewarded_tx_hash, 0, r::reward_role, b.id,
           case when r = 'traveller' then b.traveller else $1 end, 10 ^ 18, b.rewarded_block_number, $2
         from bookings b cross join unnest(array['traveller', 'treasury']) r
         where b.status = 'rewarded'`,
        [contracts.Timelock.address, old],
      );
      await seed.query("analyze");
    } finally {
      await seed.end();
    }
  });
  afterAll(() => t?.close());

  async function sqlRows(text: string): Promise<Record<string, number>[]> {
    const client = new pg.Client({ connectionString: t.database.url });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  }

  it("serves the API's reads and the worker's rounds with index scans only", async () => {
    const token = await signIn(t.app, me);
    capturing = true;
    const list = await call(t.app, "GET", "/bookings?limit=20", { token });
    expect(list.status).toBe(200);
    expect(list.body.bookings).toHaveLength(20);
    const id = list.body.bookings.find((b: { status: string }) => b.status === "rewarded").id as string;
    expect((await call(t.app, "GET", `/bookings/${id}`, { token })).status).toBe(200);
    expect((await call(t.app, "GET", `/bookings?limit=20&cursor=${list.body.nextCursor}`, { token })).status).toBe(200);
    expect((await call(t.app, "GET", "/rewards", { token })).status).toBe(200);
    expect((await call(t.app, "GET", `/accounts/${me.address}`, { token })).status).toBe(200);
    const cancelled = await call(t.app, "POST", `/bookings/${id}/cancel`, { token });
    expect(cancelled.status).toBe(409);

    const worker = startWorker(t.services);
    try {
      // A listener pass over the chain, the keeper's claims of the waiting settlements, and a round of pruning.
      await waitUntil("the keeper to try the waiting settlements and prune", async () => {
        const [row] = await sqlRows(
          "select count(*)::int as attempted from keeper_jobs where kind = 'settle' and attempts > 0",
        );
        return row.attempted > 0;
      });
    } finally {
      await worker.stop();
    }
    capturing = false;

    const explain = new pg.Client({ connectionString: t.database.url });
    await explain.connect();
    const scans: string[] = [];
    try {
      // The listener's pass and the keeper's claims are among them.
      const sent = [...statements.keys()];
      expect(sent.some((query) => query.includes('"chain_cursors"'))).toBe(true);
      expect(sent.some((query) => /^update "keeper_jobs" set "status" = \$1, "attempts"/.test(query))).toBe(true);
      for (const [query, params] of statements) {
        if (WHOLE_TABLE_BY_DESIGN.some(([pattern]) => pattern.test(query))) continue;
        const { rows } = await explain.query(`explain (format json) ${query}`, params as unknown[]);
        const plan = rows[0]["QUERY PLAN"][0].Plan as PlanNode;
        for (const table of sequentialScans(plan).filter((name) => LARGE_TABLES.has(name)))
          scans.push(`${table}: ${query.slice(0, 300)}`);
      }
    } finally {
      await explain.end();
    }
    expect(scans).toEqual([]);
  });

  it("prunes finished jobs of rewarded bookings past their retention, a bounded batch at a time", async () => {
    const rows = await sqlRows(
      `select count(*) filter (where b.status = 'rewarded')::int as rewarded,
              count(*) filter (where b.status = 'confirmed')::int as waiting
       from keeper_jobs j join bookings b on b.id = j.booking_id`,
    );
    // Three jobs were seeded per rewarded booking: rounds pruned batches of the old ones only, none of the others.
    const seeded = (BOOKINGS - 50) * 3;
    expect(rows[0].rewarded).toBeLessThan(seeded);
    expect(rows[0].rewarded).toBeGreaterThanOrEqual(seeded - PRUNABLE * 3);
    expect((seeded - rows[0].rewarded) % 1_000 === 0 || rows[0].rewarded === seeded - PRUNABLE * 3).toBe(true);
    expect(rows[0].waiting).toBe(100);
  });
});
