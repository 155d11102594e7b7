import { formatFaultTable, readFaultRows, resetFaultRows } from "./table";

// Global setup of the fault project: start with an empty table, print it when every case has run.
export default function setup() {
  resetFaultRows();
  return () => {
    const rows = readFaultRows();
    if (rows.length) console.log(`\nFault suite\n${formatFaultTable(rows)}\n`);
  };
}
