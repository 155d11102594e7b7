import "server-only";

// What a reviewer reads about whether an account looks used. Only where the target says (SCIM
// meta.lastModified; a directory's last logon, else its modifyTimestamp), read as the review started
// (server/reviews/activity.ts), naming where it came from; everything else is "Unknown", never a guess.

/** No change for this long and the account looks unused. */
export const UNUSED_AFTER_DAYS = 90;
const DAY_MS = 86_400_000;
/** Signals that are sign-ins (server/reconciliation/ldap-times.ts), not merely changes. */
const SIGN_IN = /\b(lastLogonTimestamp|pwdLastSuccess|authTimestamp)\b/;

export type Usage = { state: "unused" | "active" | "unknown"; text: string };

export type Activity = { lastActiveAt: Date | null; signal: string; readAt: Date };

const day = (d: Date) => new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(d);

/** The usage line for one item: from its account's activity on the app when its target reported one. */
export function usageOf(app: string, activity: Activity | undefined, before: string | undefined, now = new Date()): Usage {
  if (!activity) return { state: "unknown", text: before ?? `Unknown: ${app} has not reported when this account was last used` };
  const read = `${activity.signal}, read ${day(activity.readAt)}`;
  if (!activity.lastActiveAt) return { state: "unknown", text: `Unknown: ${app} does not say when this account was last used (${read})` };
  const days = Math.floor((now.getTime() - activity.lastActiveAt.getTime()) / DAY_MS);
  // A last-logon attribute says when they signed in; anything else only that the account changed.
  const what = SIGN_IN.test(activity.signal) ? { none: "no sign-in to", last: "last sign-in to" } : { none: "no activity on", last: "last activity on" };
  if (days >= UNUSED_AFTER_DAYS) return { state: "unused", text: `Looks unused: ${what.none} ${app} since ${day(activity.lastActiveAt)}, ${days} days ago (${read})` };
  const when = days <= 0 ? "today" : days === 1 ? "yesterday" : `${days} days ago`;
  return { state: "active", text: `In use: ${what.last} ${app} ${when} (${read})` };
}
