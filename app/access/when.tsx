"use client";
import { useSyncExternalStore } from "react";

// Dates on My access. The server renders before it knows the reader's time zone, so the first paint
// (server and hydration alike) shows the exact time in UTC, labelled so; once hydrated, the browser
// shows its own time zone and "in 5 days", which would not match the server's text.

const everyMinute = (tick: () => void) => {
  const timer = setInterval(tick, 60_000);
  return () => clearInterval(timer);
};
const thisMinute = () => Math.floor(Date.now() / 60_000) * 60_000;

/** The time now to the minute (kept current), or null on the server and while hydrating. */
function useNow(): number | null {
  return useSyncExternalStore(everyMinute, thisMinute, () => null);
}

const DAY_MS = 86_400_000;

/** "in 5 days", "tomorrow", "in 3 hours", "2 days ago": the largest whole unit. */
export function relativeTime(date: Date, now: number): string {
  const rtf = new Intl.RelativeTimeFormat("en-GB", { numeric: "auto" });
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), "minute");
  if (abs < DAY_MS) return rtf.format(Math.round(diff / 3_600_000), "hour");
  return rtf.format(Math.round(diff / DAY_MS), "day");
}

/** The exact date (and time), in the reader's zone once hydrated, in UTC before. */
export function ExactDate({ date, withTime = false }: { date: Date; withTime?: boolean }) {
  const hydrated = useNow() !== null;
  const format = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", ...(withTime ? { timeStyle: "short" } : {}), ...(hydrated ? {} : { timeZone: "UTC" }) });
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {format.format(date)}
      {!hydrated && withTime ? " UTC" : ""}
    </time>
  );
}

/** "ends in 5 days" with the exact date under it; only the exact date until hydrated. */
export function EndsAt({ date, verb = "Ends" }: { date: Date; verb?: string }) {
  const now = useNow();
  return (
    <span className="flex flex-col" data-testid="ends-at">
      <span className={now !== null && date.getTime() - now < 7 * DAY_MS ? "font-medium text-amber-800" : ""}>
        {verb} {now !== null ? relativeTime(date, now) : "on"}
      </span>
      <span className="text-xs text-slate-500">
        <ExactDate date={date} withTime />
      </span>
    </span>
  );
}
