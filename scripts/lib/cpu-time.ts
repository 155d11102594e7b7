import { readFileSync } from "node:fs";
import type { Db } from "@/server/db";

// CPU time used by the processes a benchmark involves, read from /proc: unlike wall time it does not grow
// when other work shares the machine. null where /proc cannot tell (not Linux, or a remote database).

/** /proc reports in USER_HZ, which Linux fixes at 100 ticks a second for user space. */
const MS_PER_TICK = 10;

/** User plus system CPU time, in ms, that process `pid` has used so far. */
export function processCpuMs(pid: number): number | null {
  try {
    // Fields after the command name, which may itself contain spaces: state is [0], utime [11], stime [12].
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop()!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return null;
  }
}

/** CPU time, in ms, used so far by the server processes serving database `dbName` (a local server only). */
export async function postgresCpuMs(db: Db, dbName: string): Promise<number | null> {
  const backends = await db.$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = ${dbName}`;
  let total = 0;
  for (const { pid } of backends) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    total += ms;
  }
  return total;
}
