// Memory of the `npm start` stack (issue 16, goal 5): the resident memory of every process in it, read from
// /proc: the process startFreshPortal (or `npm start`) runs and all its descendants (tsx, the app server, the
// engine and demo SCIM target inside start.ts), plus the embedded PostgreSQL's postmaster and its server
// processes. Sampled a few times; the figure is the largest sum seen.
//
// Two sums: VmRSS (what `ps` and `top` show; pages shared between processes, such as PostgreSQL's shared
// buffers or the code of two node processes, count once per process) and PSS (each shared page split among
// the processes sharing it, so the sum is what the stack really holds). The goal is judged on RSS.
// Alone, `npx tsx scripts/bench-memory.ts` starts a fresh portal (ports 3230-3232, 54333), lets it settle
// for 20 s after its first pages and measures it idle.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { startStandalonePortal } from "./lib/fresh-portal";

// Megabytes of 10^6 bytes (the stricter reading of "500 MB"); /proc reports kB of 1024 bytes.
const KB_PER_MB = 1e6 / 1024;

export type MemoryBenchOptions = {
  /** Processes whose whole trees make up the stack (startFreshPortal's pids(): portal and postgres). */
  roots: (number | null)[];
  /** "idle" or "during the wave": the limit for it. */
  phase?: string;
  limitMB: number;
  samples?: number;
  intervalMs?: number;
};

type ProcessMemory = { pid: number; what: string; rssMB: number; pssMB: number };

/** Every live process's parent, from /proc/<pid>/stat. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent is the second field after the command name, which may itself hold spaces and parentheses.
      const afterName = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ").pop()!.split(" ");
      map.set(Number(entry), Number(afterName[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  return map;
}

/** The roots and all their descendants. */
export function processTree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents()) children.set(parent, [...(children.get(parent) ?? []), pid]);
  const seen = new Set<number>();
  const visit = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    for (const c of children.get(pid) ?? []) visit(c);
  };
  roots.forEach(visit);
  return [...seen];
}

/** kB figures of /proc/<pid>/status and smaps_rollup. */
function kB(text: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
}

/** What a process is, from its command line: PostgreSQL's titles, else the script node runs. */
function describe(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
  const line = args.join(" ");
  if (line.startsWith("postgres")) return line.replace(/^postgres: /, "postgres: ").slice(0, 60);
  const script = args.find((a) => /\.(ts|mjs|js)$/.test(a) || a.endsWith("/next"));
  const name = script ? script.replace(/^.*node_modules\//, "").replace(/^.*\/scripts\//, "scripts/") : args[0];
  return `${args[0]?.split("/").pop()} ${name ?? ""}${args.includes("start") ? " start" : ""}`.trim().slice(0, 60);
}

function readProcess(pid: number): ProcessMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    let pss = 0;
    try {
      pss = kB(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"), "Pss");
    } catch {
      // smaps_rollup needs Linux 4.14 and the right to read the process's maps
    }
    // Next.js names its server process "next-server" (comm), whatever its command line.
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    const what = comm.startsWith("next-server") ? `next-server (${describe(pid)})` : describe(pid);
    return { pid, what, rssMB: kB(status, "VmRSS") / KB_PER_MB, pssMB: pss / KB_PER_MB };
  } catch {
    return null;
  }
}

/** One reading of the whole stack. */
export function stackMemory(roots: number[]) {
  const processes = processTree(roots)
    .map(readProcess)
    .filter((p): p is ProcessMemory => p !== null);
  const sum = (k: "rssMB" | "pssMB") => Math.round(processes.reduce((n, p) => n + p[k], 0));
  return { rssMB: sum("rssMB"), pssMB: sum("pssMB"), processes };
}

/** Samples the stack's memory `samples` times; the figures are the reading with the largest RSS sum. */
export async function benchMemory(opts: MemoryBenchOptions) {
  const roots = opts.roots.filter((p): p is number => typeof p === "number");
  const samples = opts.samples ?? 5;
  let peak = stackMemory(roots);
  for (let i = 1; i < samples; i++) {
    await sleep(opts.intervalMs ?? 1000);
    const now = stackMemory(roots);
    if (now.rssMB > peak.rssMB) peak = now;
  }
  // Like processes together: postgres server processes, and each node process on its own.
  const groups = new Map<string, { processes: number; rssMB: number; pssMB: number }>();
  for (const p of peak.processes) {
    const key = p.what.startsWith("postgres") ? "postgres (all server processes)" : `${p.what} [${p.pid}]`;
    const g = groups.get(key) ?? { processes: 0, rssMB: 0, pssMB: 0 };
    groups.set(key, { processes: g.processes + 1, rssMB: g.rssMB + p.rssMB, pssMB: g.pssMB + p.pssMB });
  }
  const phase = opts.phase ?? "idle";
  return {
    goal: `the npm start stack under ${opts.limitMB} MB RSS ${phase} (sum of VmRSS over its processes)`,
    how: `largest of ${samples} readings of /proc/<pid>/status VmRSS (and smaps_rollup Pss) over the process trees of ${roots.join(", ")}`,
    figures: {
      rssMB: peak.rssMB,
      pssMB: peak.pssMB,
      processes: peak.processes.length,
      byProcess: Object.fromEntries([...groups].map(([k, g]) => [k, { processes: g.processes, rssMB: Math.round(g.rssMB), pssMB: Math.round(g.pssMB) }])),
    },
    limitMB: opts.limitMB,
    pass: peak.rssMB < opts.limitMB,
  };
}

if (process.argv[1]?.endsWith("bench-memory.ts")) {
  const portal = await startStandalonePortal("bench-memory");
  try {
    for (const page of ["/signin", "/api/health"]) await fetch(`${portal.appUrl}${page}`).then((r) => r.arrayBuffer());
    await sleep(20_000);
    const pids = portal.pids();
    console.log(JSON.stringify({ loadAverage: os.loadavg(), ...(await benchMemory({ roots: [pids.portal, pids.postgres], limitMB: 500 })) }, null, 2));
  } finally {
    await portal.stop();
  }
}
