import type { ReactNode } from "react";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  align?: "left" | "right";
  /** Extra classes for the cells (e.g. a monospace font for addresses). */
  className?: string;
  testId?: (row: T) => string;
}

/** A table that scrolls sideways on a phone, with a caption for screen readers and column headers. */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[28rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="text-slate-500">
            {columns.map((column) => (
              <th key={column.header} scope="col" className={`py-1 ${column.align === "right" ? "text-right" : ""}`}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className="border-t border-slate-100">
              {columns.map((column) => (
                <td
                  key={column.header}
                  className={`py-1.5 ${column.align === "right" ? "text-right tabular-nums" : ""} ${column.className ?? ""}`}
                  data-testid={column.testId?.(row)}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
