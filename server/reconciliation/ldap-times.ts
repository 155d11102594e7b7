import "server-only";
import type { Entry } from "ldapts";
import { attributeValues } from "@/server/connectors/ldap";

// When a directory last saw an account, for access reviews' "does this account look used?". A real
// last-logon attribute wins over the entry's last change: Active Directory's lastLogonTimestamp
// (replicated, so late by up to two weeks: plenty for a 90-day threshold), OpenLDAP's ppolicy
// pwdLastSuccess, or its lastbind overlay's authTimestamp; else modifyTimestamp, which any directory keeps.

/** In order of preference: the first one the entry holds a readable time in is used. */
export const LAST_SEEN_ATTRIBUTES = ["lastLogonTimestamp", "pwdLastSuccess", "authTimestamp", "modifyTimestamp"] as const;

/** Milliseconds from 1601-01-01 (Windows' epoch) to 1970-01-01. */
const WINDOWS_EPOCH_MS = 11_644_473_600_000n;
/** Active Directory writes 0, or the largest 64-bit value, for "never". */
const NEVER = 0x7fff_ffff_ffff_ffffn;

/** A Windows FILETIME (100-ns intervals since 1601, as AD writes lastLogonTimestamp) → ISO 8601; null for "never" or junk. */
export function fileTime(value: string | undefined): string | null {
  if (!value || !/^\d{1,19}$/.test(value)) return null;
  const ticks = BigInt(value);
  if (ticks === 0n || ticks >= NEVER) return null;
  const date = new Date(Number(ticks / 10_000n - WINDOWS_EPOCH_MS));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** LDAP generalized time ("20261205043000Z", with fractions or an offset) → ISO 8601; null when absent or unreadable. */
export function generalizedTime(value: string | undefined): string | null {
  const match = value ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{4})?$/.exec(value) : null;
  if (!match) return null;
  const [, y, mo, d, h, mi, s = "00", zone = "Z"] = match;
  const offset = zone === "Z" ? "Z" : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** When the entry was last seen (ISO 8601, or null), and which attribute says so. */
export function lastSeenOf(entry: Entry): { at: string | null; attribute: (typeof LAST_SEEN_ATTRIBUTES)[number] } {
  for (const attribute of LAST_SEEN_ATTRIBUTES) {
    const value = attributeValues(entry, attribute)[0];
    const at = attribute === "lastLogonTimestamp" ? fileTime(value) : generalizedTime(value);
    if (at) return { at, attribute };
  }
  return { at: null, attribute: "modifyTimestamp" };
}
