"use client";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Num, useLocale } from "@/app/_components/when";
import type { RouterOutputs } from "@/app/_trpc/client";
import { duration, toMinutes } from "@/app/admin/_home/duration";

type AccessTime = RouterOutputs["adminHome"]["accessTime"];
type Day = AccessTime["days"][number];

/** "5 Dec" in the reader's language; the days are UTC days. */
function useDayFormat() {
  const formatter = new Intl.DateTimeFormat(useLocale(), { day: "numeric", month: "short", timeZone: "UTC" });
  return (day: string) => formatter.format(new Date(`${day}T00:00:00Z`));
}

/** The day whose median wait was longest (of days with grants). */
const slowest = (days: Day[]) => days.reduce<Day | null>((worst, d) => (d.medianSeconds !== null && (worst === null || d.medianSeconds > (worst.medianSeconds ?? 0)) ? d : worst), null);

/** The chart's findings in words, for everyone (and the only form for a screen reader besides the table). */
function Summary({ data }: { data: AccessTime }) {
  const locale = useLocale();
  const day = useDayFormat();
  const { grants, medianSeconds, p90Seconds } = data.total;
  if (grants === 0 || medianSeconds === null) return <p className="text-sm text-slate-600" data-testid="access-time-summary">No grants were provisioned from a request in the last 30 days.</p>;
  const worst = slowest(data.days);
  return (
    <p className="text-sm text-slate-700" data-testid="access-time-summary">
      Median <strong>{duration(medianSeconds, locale)}</strong> from request to access over <Num value={grants} /> {grants === 1 ? "grant" : "grants"} in the last 30 days
      {p90Seconds !== null && <>; 9 in 10 within {duration(p90Seconds, locale)}</>}.
      {worst?.medianSeconds != null && (
        <>
          {" "}Slowest day: {day(worst.day)}, median {duration(worst.medianSeconds, locale)} over <Num value={worst.grants} /> {worst.grants === 1 ? "grant" : "grants"}.
        </>
      )}
    </p>
  );
}

/** The same numbers as a table, for screen readers (the chart's SVG says little). */
function DataTableForReaders({ data }: { data: AccessTime }) {
  const locale = useLocale();
  const day = useDayFormat();
  const withGrants = data.days.filter((d) => d.grants > 0);
  // A table does not shrink to sr-only's 1 px (it would widen a phone's page); its wrapper does.
  return (
    <div className="sr-only">
      <table>
        <caption>Request-to-access time per day, last 30 days (days without grants left out)</caption>
        <thead>
          <tr><th scope="col">Day</th><th scope="col">Grants</th><th scope="col">Median</th><th scope="col">90th percentile</th></tr>
        </thead>
        <tbody>
          {withGrants.map((d) => (
            <tr key={d.day}>
              <th scope="row">{day(d.day)}</th>
              <td>{d.grants}</td>
              <td>{d.medianSeconds === null ? "" : duration(d.medianSeconds, locale)}</td>
              <td>{d.p90Seconds === null ? "" : duration(d.p90Seconds, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Per day: median and 90th-percentile minutes from request to provisioned grant (lines), and how many grants (bars). */
export function AccessTimeChart({ data }: { data: AccessTime }) {
  const locale = useLocale();
  const day = useDayFormat();
  const points = data.days.map((d) => ({ day: d.day, grants: d.grants, median: toMinutes(d.medianSeconds), p90: toMinutes(d.p90Seconds) }));
  return (
    <div>
      <Summary data={data} />
      <DataTableForReaders data={data} />
      <div className="mt-3 h-64 w-full" aria-hidden="true" data-testid="access-time-chart">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 320, height: 256 }}>
          <ComposedChart data={points} margin={{ top: 8, right: 0, bottom: 0, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#e2e8f0" vertical={false} />
            <XAxis dataKey="day" tickFormatter={day} tick={{ fontSize: 11 }} minTickGap={16} />
            <YAxis yAxisId="minutes" tick={{ fontSize: 11 }} width={64} tickFormatter={(m: number) => `${m}\u00a0min`} />
            <YAxis yAxisId="grants" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} width={32} />
            <Tooltip
              labelFormatter={(d) => day(String(d))}
              formatter={(value, name) => (name === "Grants (right axis)" ? [String(value), name] : [value == null ? "–" : duration(Number(value) * 60, locale), name])}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} formatter={(name) => <span className="text-slate-700">{name}</span>} />
            <Bar yAxisId="grants" dataKey="grants" name="Grants (right axis)" fill="#c7d2fe" isAnimationActive={false} />
            <Line yAxisId="minutes" dataKey="median" name="Median" stroke="#4338ca" strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
            <Line yAxisId="minutes" dataKey="p90" name="90th percentile" stroke="#b45309" strokeDasharray="4 3" strokeWidth={2} dot={{ r: 2 }} connectNulls isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
