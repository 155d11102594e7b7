"use client";
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";

// Dates and numbers in the reader's language (from the browser's Accept-Language, resolved on the server
// and passed down, so server and browser render the same text). The server does not know the reader's
// time zone, so the first paint (server and hydration alike) shows exact times in UTC, labelled so; once
// hydrated, the browser shows its own zone and relative times ("in 5 days"), which the server could not.

const LocaleContext = createContext("en-GB");

export function LocaleProvider({ locale, children }: { locale: string; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

/** The reader's locale, e.g. "en-US". */
export const useLocale = () => useContext(LocaleContext);

const everyMinute = (tick: () => void) => {
  const timer = setInterval(tick, 60_000);
  return () => clearInterval(timer);
};
const thisMinute = () => Math.floor(Date.now() / 60_000) * 60_000;

/** The time now to the minute (kept current), or null on the server and while hydrating. */
export function useNow(): number | null {
  return useSyncExternalStore(everyMinute, thisMinute, () => null);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** "in 5 days", "tomorrow", "in 3 hours", "2 days ago": the largest whole unit. */
export function relativeTime(date: Date, now: number, locale = "en-GB"): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const diff = date.getTime() - now;
  const abs = Math.abs(diff);
  // "Now" is kept to the minute (useNow), so anything within about a minute of it is "now".
  if (abs < 90_000) return rtf.format(0, "second");
  if (abs < HOUR_MS) return rtf.format(Math.round(diff / MINUTE_MS), "minute");
  if (abs < DAY_MS) return rtf.format(Math.round(diff / HOUR_MS), "hour");
  if (abs < 60 * DAY_MS) return rtf.format(Math.round(diff / DAY_MS), "day");
  return rtf.format(Math.round(diff / (30 * DAY_MS)), "month");
}

/** Formats a date in the reader's locale: in UTC until hydrated, then in the browser's zone. */
export function useDateFormat(withTime: boolean): { format: (d: Date) => string; utc: boolean } {
  const locale = useLocale();
  const utc = useNow() === null;
  const formatter = new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...(withTime ? { timeStyle: "short" } : {}), ...(utc ? { timeZone: "UTC" } : {}) });
  return { format: (d) => formatter.format(d) + (utc && withTime ? " UTC" : ""), utc };
}

/** The exact date (and time): "5 Dec 2026, 14:03" in en-GB, "Dec 5, 2026, 2:03 PM" in en-US. */
export function ExactDate({ date, withTime = false, className }: { date: Date; withTime?: boolean; className?: string }) {
  const { format } = useDateFormat(withTime);
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()} className={className}>
      {format(date)}
    </time>
  );
}

/** "3 hours ago" / "in 5 days" once hydrated (the exact time until then), with the exact time as a tooltip. */
export function RelativeDate({ date, className }: { date: Date; className?: string }) {
  const now = useNow();
  const locale = useLocale();
  const { format } = useDateFormat(true);
  return (
    <time dateTime={date.toISOString()} title={format(date)} className={className}>
      {now === null ? format(date) : relativeTime(date, now, locale)}
    </time>
  );
}

/** "ends in 5 days" with the exact date under it; only the exact date until hydrated. */
export function EndsAt({ date, verb = "Ends" }: { date: Date; verb?: string }) {
  const now = useNow();
  const locale = useLocale();
  return (
    <span className="flex flex-col" data-testid="ends-at">
      <span className={now !== null && date.getTime() - now < 7 * DAY_MS ? "font-medium text-amber-800" : ""}>
        {verb} {now !== null ? relativeTime(date, now, locale) : "on"}
      </span>
      <span className="text-xs text-slate-500">
        <ExactDate date={date} withTime />
      </span>
    </span>
  );
}

/** A count in the reader's locale: "10,000" / "10.000". */
export function Num({ value }: { value: number }) {
  return <>{new Intl.NumberFormat(useLocale()).format(value)}</>;
}
