import "server-only";
import { z } from "zod";

// People are found by address through User.emailKey, an exact comparison. A case-insensitive
// Prisma `equals` is an SQL ILIKE pattern, where `_` and `%` are wildcards: `ad_in@example.com`
// signed in as `admin@example.com`.

/**
 * The form of an address every lookup compares: trimmed, ASCII letters lower-cased. The database
 * keeps User.emailKey the same way (trigger user_email_key, `lower(… COLLATE "C")`), so both sides
 * agree whatever the server's locale.
 */
export function emailKey(address: string): string {
  return address.trim().replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** A Prisma filter for the person with this address, whatever its case. */
export function byEmail(address: string) {
  return { emailKey: emailKey(address) };
}

/**
 * An address a person could really have: one `@`, a dotted domain, and none of the characters an
 * attacker reaches for in lookups (`%`, `\`, quotes, spaces, control characters).
 */
export const workEmail = z
  .string()
  .trim()
  .max(254, "An email address is at most 254 characters.")
  .pipe(z.email({ message: "Enter a valid email address, like name@example.com." }));

export function isWorkEmail(address: string): boolean {
  return workEmail.safeParse(address).success;
}
