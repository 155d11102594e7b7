import "server-only";
import type { Prisma } from "@/generated/prisma/client";
import type { Tx } from "@/server/db";
import { emailKey } from "@/server/people/email";
import type { HrRecord, RowErrorKind } from "./record";

// Who an HR record is about, and who their manager is: the lookups applyHrRecords (apply.ts) and the
// mass-revocation guard make before anything is changed. Addresses are compared through User.emailKey.

/**
 * How the caller names the person: by id (SCIM PUT/PATCH), or "must be new" (SCIM POST). `revive`: the
 * person was deleted over SCIM and is being created again (a rehire): SCIM sees them again.
 */
export type Targeting = { userId?: string; createOnly?: boolean; revive?: boolean };

/** A row that cannot be applied, with the kind SCIM maps to an HTTP status. */
export class RowError extends Error {
  constructor(
    readonly kind: RowErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export const personSelect = {
  id: true,
  email: true,
  name: true,
  title: true,
  location: true,
  employeeId: true,
  scimExternalId: true,
  scimUserName: true,
  scimEmail: true,
  givenName: true,
  familyName: true,
  lifecycleState: true,
  managerId: true,
  department: { select: { name: true } },
  manager: { select: { email: true } },
} as const;

export type Person = Prisma.UserGetPayload<{ select: typeof personSelect }>;

/**
 * The people a SCIM userName names, whatever its case: whoever holds it, and people no IdP named yet
 * whose email it is (SCIM shows them with their email as userName).
 */
export function byUserName(userName: string): Prisma.UserWhereInput {
  const key = emailKey(userName);
  return { OR: [{ scimUserNameKey: key }, { scimUserName: null, emailKey: key }] };
}

/** Finds who a record is about: by the caller's id, then external id, employee id, userName, then email. Conflicting matches are an error. */
export async function findPerson(tx: Tx, record: HrRecord, targeting: Targeting): Promise<Person | null> {
  const [byId, byExternal, byEmployee, byUser, byEmail] = await Promise.all([
    targeting.userId ? tx.user.findUnique({ where: { id: targeting.userId }, select: personSelect }) : null,
    record.externalId ? tx.user.findUnique({ where: { scimExternalId: record.externalId }, select: personSelect }) : null,
    record.employeeId ? tx.user.findUnique({ where: { employeeId: record.employeeId }, select: personSelect }) : null,
    record.userName ? tx.user.findFirst({ where: byUserName(record.userName), select: personSelect }) : null,
    tx.user.findUnique({ where: { emailKey: emailKey(record.email) }, select: personSelect }),
  ]);
  if (targeting.userId && !byId) throw new RowError("not_found", "That person does not exist (any more).");
  if (targeting.createOnly) {
    const clash = byUser ?? byEmail ?? byEmployee ?? byExternal;
    if (clash) {
      const why = byUser
        ? `the userName ${record.userName}`
        : byEmail
          ? `the email ${record.email}`
          : byEmployee
            ? `the employee id ${record.employeeId}`
            : `the external id ${record.externalId}`;
      throw new RowError("conflict", `A person with ${why} already exists (${clash.email}, id ${clash.id}).`);
    }
    return null;
  }
  const matches = [
    { label: `external id ${record.externalId}`, found: byExternal },
    { label: `employee id ${record.employeeId}`, found: byEmployee },
    { label: `userName ${record.userName}`, found: byUser },
    { label: `email ${record.email}`, found: byEmail },
  ].filter((m): m is { label: string; found: Person } => m.found !== null);
  const person = byId ?? matches[0]?.found ?? null;
  if (!person) return null;
  const clash = matches.find((m) => m.found.id !== person.id);
  if (clash) {
    throw new RowError(
      "conflict",
      byId ? `The ${clash.label} already belongs to ${clash.found.email}.` : `The ${matches[0]!.label} belongs to ${person.email}, but the ${clash.label} belongs to ${clash.found.email}: fix one of them.`,
    );
  }
  return person;
}

/** The record's manager: unchanged (undefined), none (null), or an existing person who is not below them. `failed`: lines by emailKey. */
export async function resolveManager(tx: Tx, record: HrRecord, self: string | null, failed: ReadonlyMap<string, number>): Promise<{ id: string; email: string } | null | undefined> {
  if (record.managerEmail === undefined) return undefined;
  if (record.managerEmail === null) return null;
  if (emailKey(record.managerEmail) === emailKey(record.email)) throw new RowError("invalid", "A person cannot be their own manager.");
  const manager = await tx.user.findUnique({ where: { emailKey: emailKey(record.managerEmail) }, select: { id: true, email: true, managerId: true } });
  if (!manager) {
    const line = failed.get(emailKey(record.managerEmail));
    throw new RowError(
      "invalid",
      line !== undefined
        ? `Its manager ${record.managerEmail} (line ${line}) could not be applied: fix that row first.`
        : `The manager ${record.managerEmail} is not in the directory: add them (in this upload or before it), or fix manager_email.`,
    );
  }
  if (self) {
    // Walk up from the new manager: reaching this person would make the org chart loop.
    const seen = new Set<string>();
    let id: string | null = manager.id;
    while (id && !seen.has(id)) {
      if (id === self) throw new RowError("invalid", `${record.managerEmail} reports (directly or not) to ${record.email}, so they cannot also be their manager.`);
      seen.add(id);
      id = (await tx.user.findUnique({ where: { id }, select: { managerId: true } }))?.managerId ?? null;
    }
  }
  return { id: manager.id, email: manager.email };
}

/** The person deleted over SCIM whom a SCIM create names again (by userName, email, external id or employee id), if any. */
export async function findScimDeleted(
  tx: Tx,
  record: { userName?: string | null; email: string; externalId?: string | null; employeeId?: string | null },
): Promise<{ id: string } | null> {
  const names: Prisma.UserWhereInput[] = [{ emailKey: emailKey(record.email) }];
  if (record.userName) names.push(byUserName(record.userName));
  if (record.externalId) names.push({ scimExternalId: record.externalId });
  if (record.employeeId) names.push({ employeeId: record.employeeId });
  return tx.user.findFirst({ where: { scimDeletedAt: { not: null }, OR: names }, orderBy: { scimDeletedAt: "desc" }, select: { id: true } });
}
