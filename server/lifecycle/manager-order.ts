import "server-only";

// An HR batch applies managers before their reports, so that a report's manager exists when it is set.

/** Rows ordered managers-first; rows whose managers loop are marked with the loop. */
export function orderByManager<T>(rows: T[], managerOf: (row: T) => string | null | undefined, keyOf: (row: T) => string): { row: T; cycle?: string[] }[] {
  const byKey = new Map(rows.map((r) => [keyOf(r), r]));
  const out: { row: T; cycle?: string[] }[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (row: T, path: string[]) => {
    const key = keyOf(row);
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting") {
      const loop = [...path.slice(path.indexOf(key)), key];
      for (const k of new Set(loop)) {
        if (state.get(k) !== "done") {
          state.set(k, "done");
          out.push({ row: byKey.get(k)!, cycle: loop });
        }
      }
      return;
    }
    state.set(key, "visiting");
    const manager = managerOf(row);
    const managerRow = manager && manager !== key ? byKey.get(manager) : undefined;
    if (managerRow) visit(managerRow, [...path, key]);
    if (state.get(key) !== "done") {
      state.set(key, "done");
      out.push({ row });
    }
  };
  for (const row of rows) visit(row, []);
  return out;
}
