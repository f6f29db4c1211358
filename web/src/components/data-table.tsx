import type { ReactNode } from "react";

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  align?: "left" | "right";
  /** Extra classes for the cells (e.g. a monospace font for addresses). */
  className?: string;
  testId?: (row: T) => string;
}

/**
 * A table with a caption for screen readers and column headers; on a phone each row becomes a card of "header: value"
 * lines (the header shown from the cell's data-label), so nothing is wider than the screen.
 */
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
    <table className="w-full text-left text-sm max-sm:block">
      <caption className="sr-only">{caption}</caption>
      <thead className="max-sm:sr-only">
        <tr className="text-slate-500">
          {columns.map((column) => (
            <th key={column.header} scope="col" className={`py-1 ${column.align === "right" ? "text-right" : ""}`}>
              {column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="max-sm:block">
        {rows.map((row) => (
          <tr key={rowKey(row)} className="border-t border-slate-100 max-sm:block max-sm:py-2">
            {columns.map((column) => (
              <td
                key={column.header}
                data-label={column.header}
                className={`py-1.5 max-sm:flex max-sm:justify-between max-sm:gap-4 max-sm:py-0.5 max-sm:text-right max-sm:before:text-left max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)] ${column.align === "right" ? "text-right tabular-nums" : ""} ${column.className ?? ""}`}
                data-testid={column.testId?.(row)}
              >
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
