/** One line per thing worth knowing: a run started, finished, failed or retried; a sync that changed. */
export type Logger = { info(line: string): void; warn(line: string): void; error(line: string): void };

/** `quiet` drops info and warnings; errors (the engine itself misbehaving) always show. */
export function createLogger(quiet: boolean): Logger {
  const prefix = "[inngest-engine]";
  return {
    info: (line) => quiet || console.log(prefix, line),
    warn: (line) => quiet || console.warn(prefix, line),
    error: (line) => console.error(prefix, line),
  };
}
