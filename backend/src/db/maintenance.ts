/**
 * Table upkeep where PostgreSQL's autovacuum does not do it (turned off on the server, or for a table). Without it
 * the planner's statistics never follow the tables' growth: a lookup of a hundred bookings by id, planned with the
 * statistics of a nearly empty table, reads the whole table instead of its index, and each round reads more; and the
 * rows that updates leave behind are never reclaimed. With the thresholds of autovacuum's defaults, this vacuums a
 * table when a fifth of its rows are dead and analyzes it when a tenth changed since the last analysis.
 */
import { sql } from "drizzle-orm";

import type { Db } from "./index.js";

export interface TableUpkeep {
  vacuumed: string[];
  analyzed: string[];
}

interface TableStats {
  name: string;
  vacuum: boolean;
  analyze: boolean;
}

/** Vacuums and analyzes this schema's tables that autovacuum leaves alone and that need it; what it did. */
export async function maintainTables(db: Db): Promise<TableUpkeep> {
  const result = await db.execute(sql`
    select c.relname as name,
      s.n_dead_tup > 50 + 0.2 * s.n_live_tup as vacuum,
      s.n_mod_since_analyze > 50 + 0.1 * s.n_live_tup as analyze
    from pg_stat_user_tables s
    join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
      and (current_setting('autovacuum') = 'off' or 'autovacuum_enabled=false' = any(coalesce(c.reloptions, '{}')))`);
  const tables = (result as unknown as { rows: TableStats[] }).rows;
  const upkeep: TableUpkeep = { vacuumed: [], analyzed: [] };
  for (const table of tables) {
    // VACUUM runs outside a transaction: each statement here is one of its own.
    if (table.vacuum) {
      await db.execute(sql`vacuum (analyze) ${sql.identifier(table.name)}`);
      upkeep.vacuumed.push(table.name);
    } else if (table.analyze) {
      await db.execute(sql`analyze ${sql.identifier(table.name)}`);
      upkeep.analyzed.push(table.name);
    }
  }
  return upkeep;
}
