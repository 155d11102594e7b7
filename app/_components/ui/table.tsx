"use client";
import {
  flexRender,
  getCoreRowModel,
  getPaginationRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type Header,
  type Row,
  type SortingState,
  type Table,
} from "@tanstack/react-table";
import { useMemo, useState, type ReactNode } from "react";
import { Button } from "@/app/_components/ui/button";

export type Column<T> = {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
  /** The value the column sorts by; without it the column does not sort. */
  sortBy?: (row: T) => string | number | Date | null | undefined;
  /** Width and alignment classes for the column's cells at table widths. */
  className?: string;
  /** Keep the header for screen readers only (e.g. an actions column). */
  hideHeader?: boolean;
};

/**
 * A table (TanStack Table for sorting and paging, plain semantic HTML for the markup): headers sort on
 * click or Enter and say so with aria-sort; more rows than `pageSize` get a pager. Below 640 px each
 * row becomes a card with its column names beside the values, so a phone never scrolls sideways.
 * `detail` renders an optional full-width row under a row (an inline form, say).
 */
export function DataTable<T>({
  label,
  rows,
  columns,
  rowId,
  pageSize = 25,
  empty = "Nothing here yet.",
  rowTestId,
  initialSort = [],
  detail,
}: {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowId: (row: T) => string;
  pageSize?: number;
  empty?: ReactNode;
  rowTestId?: string;
  initialSort?: SortingState;
  detail?: (row: T) => ReactNode;
}) {
  const [sorting, setSorting] = useState<SortingState>(initialSort);
  const defs = useMemo<ColumnDef<T>[]>(
    () =>
      columns.map((c) => ({
        id: c.id,
        header: c.header,
        accessorFn: c.sortBy ?? (() => null),
        enableSorting: Boolean(c.sortBy),
        sortUndefined: "last",
        cell: ({ row }) => c.cell(row.original),
        meta: c,
      })),
    [columns],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table hands back fresh functions each render, so this component is left unmemoized.
  const table = useReactTable({
    data: rows,
    columns: defs,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (row) => rowId(row),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getPaginationRowModel: getPaginationRowModel(),
    initialState: { pagination: { pageSize } },
    autoResetPageIndex: false,
  });
  if (rows.length === 0) return <p className="mt-6 text-center text-sm text-slate-500">{empty}</p>;
  const meta = (id: string) => columns.find((c) => c.id === id);
  return (
    <div>
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full text-left text-sm max-sm:block" aria-label={label}>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500 max-sm:hidden">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => <HeaderCell key={header.id} header={header} column={meta(header.column.id)} />)}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block">
            {table.getRowModel().rows.map((row) => (
              <BodyRow key={row.id} row={row} columns={columns} testId={rowTestId} detail={detail?.(row.original)} />
            ))}
          </tbody>
        </table>
      </div>
      <Pager table={table} label={label} total={rows.length} />
    </div>
  );
}

function HeaderCell<T>({ header, column: c }: { header: Header<T, unknown>; column: Column<T> | undefined }) {
  const sorted = header.column.getIsSorted();
  const title = flexRender(header.column.columnDef.header, header.getContext());
  return (
    <th scope="col" aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined} className={`px-4 py-2.5 font-medium ${c?.className ?? ""}`}>
      {c?.hideHeader ? (
        <span className="sr-only">{c.header}</span>
      ) : header.column.getCanSort() ? (
        <button type="button" onClick={header.column.getToggleSortingHandler()} className="inline-flex items-center gap-1 uppercase hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-indigo-400">
          {title}
          <span aria-hidden className="text-[10px]">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
        </button>
      ) : (
        title
      )}
    </th>
  );
}

function Pager<T>({ table, label, total }: { table: Table<T>; label: string; total: number }) {
  if (table.getPageCount() <= 1) return null;
  return (
    <nav aria-label={`Pages of ${label}`} className="mt-3 flex items-center justify-between gap-2 text-sm text-slate-600">
      <span>
        Page {table.getState().pagination.pageIndex + 1} of {table.getPageCount()} · {total} rows
      </span>
      <span className="flex gap-2">
        <Button variant="secondary" isDisabled={!table.getCanPreviousPage()} onClick={() => table.previousPage()}>Previous</Button>
        <Button variant="secondary" isDisabled={!table.getCanNextPage()} onClick={() => table.nextPage()}>Next</Button>
      </span>
    </nav>
  );
}

/**
 * On a phone a labelled cell is its column's name in a narrow column beside the value (a name above
 * every value made each card twice as tall); a cell without a label (actions) takes the whole width.
 * A column's desk width (w-32) would squeeze its value beside the label, so phones drop it.
 */
const phoneLabel =
  "max-sm:[&[data-label]]:grid max-sm:[&[data-label]]:grid-cols-[6.5rem_minmax(0,1fr)] max-sm:[&[data-label]]:gap-x-3 max-sm:before:block max-sm:before:pt-0.5 max-sm:before:text-xs max-sm:before:font-medium max-sm:before:uppercase max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)]";

function BodyRow<T>({ row, columns, testId, detail }: { row: Row<T>; columns: Column<T>[]; testId?: string; detail: ReactNode }) {
  return (
    <>
      <tr data-testid={testId} className="align-top max-sm:block max-sm:py-2">
        {row.getVisibleCells().map((cell) => {
          const c = columns.find((col) => col.id === cell.column.id);
          return (
            <td
              key={cell.id}
              data-label={c?.hideHeader ? undefined : c?.header}
              className={`min-w-0 break-words px-4 py-3 max-sm:block max-sm:w-auto max-sm:py-1 ${phoneLabel} ${c?.className ?? ""}`}
            >
              {/* One element, so on a phone the cell is two grid columns: its label, then all of it. */}
              <div className="min-w-0">{flexRender(cell.column.columnDef.cell, cell.getContext())}</div>
            </td>
          );
        })}
      </tr>
      {detail && (
        <tr className="max-sm:block">
          <td colSpan={columns.length} className="bg-slate-50 px-4 py-3 max-sm:block">{detail}</td>
        </tr>
      )}
    </>
  );
}
