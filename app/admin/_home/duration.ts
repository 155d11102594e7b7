// How long a wait took, in the largest sensible unit: "45 secs", "4 mins", "2.5 hrs", "3 days" (en-GB).

const units = [
  { limit: 60, size: 1, unit: "second" },
  { limit: 3_600, size: 60, unit: "minute" },
  { limit: 86_400, size: 3_600, unit: "hour" },
  { limit: Infinity, size: 86_400, unit: "day" },
] as const;

/** `seconds` as a short duration in the reader's locale, e.g. "4 mins" in en-GB. */
export function duration(seconds: number, locale = "en-GB"): string {
  const { size, unit } = units.find((u) => seconds < u.limit) ?? units[3];
  const value = seconds / size;
  return new Intl.NumberFormat(locale, { style: "unit", unit, unitDisplay: "short", maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
}

/** The same in minutes, the chart's axis unit. */
export const toMinutes = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 60) * 10) / 10);
