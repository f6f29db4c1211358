/**
 * Many rows as one array parameter per column: `unnest($1::text[]::int[], $2::text[]) as v(a, b)`. A row of bind
 * parameters per row costs more to build here and to parse in Postgres than the rows cost to store, and is capped at
 * 65,535 parameters a statement; this is neither.
 */
import { getTableColumns, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

/**
 * `rows` as a from-item named `v`, with the table's column names (`names`, joined), for `insert … select` or `update … from`.
 * Every row must set the same columns (a column a row leaves out would be null rather than its default); values go
 * through the column's own driver mapping, as in drizzle's `insert().values()`.
 */
export function unnestRows<T extends PgTable>(
  table: T,
  rows: T["$inferInsert"][],
): { columns: PgColumn[]; names: SQL; from: SQL } {
  if (rows.length === 0) throw new Error("unnestRows needs at least one row");
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(rows[0]).filter((key) => key in all);
  for (const row of rows) {
    const rowKeys = Object.keys(row).filter((key) => key in all);
    if (rowKeys.length !== keys.length || rowKeys.some((key) => !keys.includes(key))) {
      throw new Error(`unnestRows: every row must set the same columns (${keys.join(", ")})`);
    }
  }
  const columns = keys.map((key) => all[key]);
  const arrays = columns.map((column, i) => {
    const values = rows.map((row) => {
      const value = (row as Record<string, unknown>)[keys[i]];
      return value === null || value === undefined ? null : String(column.mapToDriverValue(value));
    });
    // Sent as text[], which every driver knows how to encode (PGlite encodes an array by its parameter's type, and
    // knows no enum's array type), then cast to the column's type.
    return sql`${sql.param(values)}::text[]::${sql.raw(column.getSQLType())}[]`;
  });
  const names = sql.join(
    columns.map((column) => sql.identifier(column.name)),
    sql`, `,
  );
  return { columns, names, from: sql`unnest(${sql.join(arrays, sql`, `)}) as v(${names})` };
}

/** `insert into table (…) select * from unnest(…)`, for the caller to finish (`on conflict …`, `returning …`). */
export function unnestInsert<T extends PgTable>(table: T, rows: T["$inferInsert"][]): SQL {
  const { names, from } = unnestRows(table, rows);
  return sql`insert into ${table} (${names}) select * from ${from}`;
}

/** `update table set … from unnest(…) as v where table.key = v.key`: each row sets its other columns on the row with its key. */
export function unnestUpdate<T extends PgTable>(table: T, key: PgColumn, rows: Partial<T["$inferInsert"]>[]): SQL {
  // Only the columns given are set: rows need not carry what an insert would require.
  const { columns, from } = unnestRows(table, rows as T["$inferInsert"][]);
  const set = columns
    .filter((column) => column.name !== key.name)
    .map((column) => sql`${sql.identifier(column.name)} = v.${sql.identifier(column.name)}`);
  return sql`update ${table} set ${sql.join(set, sql`, `)} from ${from} where ${key} = v.${sql.identifier(key.name)}`;
}
