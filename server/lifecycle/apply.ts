import "server-only";
import { lifecycleAccountsRequested, moverManagerNotify, personChanged } from "@/inngest/events";
import type { LifecycleState } from "@/generated/prisma/enums";
import type { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError } from "@/server/errors";
import { emailKey } from "@/server/people/email";
import { guardTerminations } from "@/server/revocations/guard";
import { enqueueEvent } from "@/server/outbox/enqueue";
import { departmentIdFor, requestAccountUpdates } from "@/server/provisioning/accounts";
import { findPerson, type Person, personSelect, resolveManager, RowError, type Targeting } from "./find-person";
import { endSessions, leaverNote, offboard } from "./leaver";
import { orderByManager } from "./manager-order";
import { describeIssues, hrRecordSchema, type HrRecord, type HrRow, type HrSource, type HrStatus, type RowErrorKind, type RowOutcome, type RowReport } from "./record";

// Joiners, movers, leavers and leave of absence from an HR feed (CSV upload, SCIM inbound, an admin's
// action). Each person is applied in their own transaction with everything it causes — audit rows,
// account updates, revocations, outbox events — so a bad row never half-applies and the other rows
// still apply.

export interface ApplyOptions {
  /** Who applied it: the admin who uploaded or acted; null for a system pushing over SCIM. */
  actorId: string | null;
  source: HrSource;
  /** Said on every audit row (an admin's reason for a lifecycle action). */
  reason?: string;
  /**
   * Set when an admin confirms a held mass revocation: the grants each person's termination revokes,
   * exactly these (pinned when held). The guard does not look at a confirmed batch again.
   */
  pinnedGrants?: ReadonlyMap<string, readonly string[]>;
}

export interface ApplyResult {
  rows: RowReport[];
  counts: Record<RowOutcome, number>;
}

/** Internal targeting a caller (SCIM) can add to a row: "this is about person X", "this must be new". */
const STATE: Record<HrStatus, LifecycleState> = { active: "ACTIVE", leave: "LEAVE", terminated: "TERMINATED" };
const SOURCE_TEXT: Record<HrSource, string> = { csv: "HR CSV upload", scim: "SCIM provisioning", admin: "admin action" };

/** Attributes a mover changes: these recompute birthright access. */
const MOVER_FIELDS = ["department", "title", "location", "manager"] as const;
const FIELDS = ["email", "name", "title", "department", "location", "manager", "employeeId", "externalId", "userName", "scimEmail", "givenName", "familyName"] as const;
type Field = (typeof FIELDS)[number];
type Snapshot = Record<Exclude<Field, "email">, string | null> & { email: string };

export async function applyHrRecords(db: Db, records: ReadonlyArray<HrRow & Targeting>, options: ApplyOptions): Promise<ApplyResult> {
  const reports: RowReport[] = [];
  type Valid = { index: number; line: number; record: HrRecord; targeting: Targeting };
  const valid: Valid[] = [];

  // First pass: validate every row, and order them so that a manager who appears later in the batch
  // is applied before the people who report to them.
  records.forEach((row, index) => {
    const line = typeof row.line === "number" ? row.line : index + 1;
    const parsed = hrRecordSchema.safeParse(row);
    if (!parsed.success) {
      const email = typeof row.email === "string" && row.email.trim() ? row.email.trim() : null;
      reports[index] = errorReport(line, email, "invalid", describeIssues(parsed.error));
      return;
    }
    valid.push({ index, line, record: parsed.data, targeting: { userId: row.userId, createOnly: row.createOnly, revive: row.revive } });
  });
  // Addresses are kept as sent and compared by their key (Ada@… and ada@… are one person).
  const byEmail = new Map<string, Valid[]>();
  for (const v of valid) byEmail.set(emailKey(v.record.email), [...(byEmail.get(emailKey(v.record.email)) ?? []), v]);
  const byEmployeeId = new Map<string, Valid[]>();
  for (const v of valid) if (v.record.employeeId) byEmployeeId.set(v.record.employeeId, [...(byEmployeeId.get(v.record.employeeId) ?? []), v]);
  const rejected = new Set<number>();
  for (const group of [...byEmail.values(), ...byEmployeeId.values()]) {
    if (group.length < 2) continue;
    const lines = group.map((v) => v.line).join(", ");
    for (const v of group) {
      if (rejected.has(v.index)) continue;
      rejected.add(v.index);
      const what = byEmail.get(emailKey(v.record.email)) === group ? v.record.email : `employee id ${v.record.employeeId}`;
      reports[v.index] = errorReport(v.line, v.record.email, "invalid", `${what} appears on lines ${lines}: keep one row per person.`);
    }
  }
  const order = orderByManager(
    valid.filter((v) => !rejected.has(v.index)),
    (v) => (v.record.managerEmail ? emailKey(v.record.managerEmail) : v.record.managerEmail),
    (v) => emailKey(v.record.email),
  );
  for (const { row, cycle } of order) {
    if (cycle) reports[row.index] = errorReport(row.line, row.record.email, "invalid", `The managers in this upload form a loop (${cycle.join(" → ")}): fix the manager_email column.`);
  }

  // The mass-revocation guard: terminations that together would revoke too much are held, not applied.
  const held = await holdMassTerminations(db, order, options);
  for (const [index, hold] of held) {
    const row = valid.find((v) => v.index === index)!;
    reports[index] = {
      line: row.line,
      email: row.record.email,
      outcome: "held",
      message: `Termination held for an admin's confirmation (${hold.reason}): nothing was applied to this person yet.`,
      events: [],
    };
  }

  // Second pass: each person in their own transaction. Rows that failed are remembered by email, so a
  // report whose new manager's row failed says which line to fix.
  const failed = new Map<string, number>();
  for (const report of reports) if (report?.email) failed.set(emailKey(report.email), report.line);
  for (const { row, cycle } of order) {
    if (cycle || held.has(row.index)) continue;
    try {
      reports[row.index] = { line: row.line, email: row.record.email, ...(await db.$transaction((tx) => applyOne(tx, row.record, row.targeting, options, failed), { timeout: 30_000 })) };
    } catch (error) {
      failed.set(emailKey(row.record.email), row.line);
      reports[row.index] = errorReport(row.line, row.record.email, ...explain(error));
    }
  }
  const counts: Record<RowOutcome, number> = { created: 0, updated: 0, unchanged: 0, terminated: 0, held: 0, error: 0 };
  for (const r of reports) counts[r.outcome]++;
  return { rows: reports, counts };
}

/**
 * Hands the batch's terminations of people still here to the guard (server/revocations/guard.ts). An
 * admin's own action on one person, and a batch an admin already confirmed, are never held.
 */
async function holdMassTerminations(db: Db, order: ReadonlyArray<{ row: { index: number; record: HrRecord; targeting: Targeting }; cycle?: unknown }>, options: ApplyOptions) {
  if (options.source === "admin" || options.pinnedGrants) return new Map<number, { holdId: string; reason: string }>();
  const candidates = [];
  for (const { row, cycle } of order) {
    if (cycle || row.record.status !== "terminated") continue;
    // A row whose person cannot be told apart fails in its own transaction below; the guard skips it.
    const person = await findPerson(db, row.record, row.targeting).catch(() => null);
    if (!person || person.lifecycleState === "TERMINATED") continue;
    candidates.push({ key: row.index, userId: person.id, record: JSON.parse(JSON.stringify(row.record)) as Prisma.InputJsonValue });
  }
  const who = options.actorId ? (await db.user.findUnique({ where: { id: options.actorId }, select: { email: true } }))?.email : null;
  const title = `${SOURCE_TEXT[options.source]}${who ? ` by ${who}` : ""}`;
  const { held } = await guardTerminations(db, candidates, { source: options.source, actorId: options.actorId, title });
  return held;
}

/** Applies one held termination inside the confirming admin's transaction (server/revocations/decide.ts). */
export async function applyHeldTermination(tx: Tx, userId: string, record: unknown, options: ApplyOptions & { pinnedGrants: ReadonlyMap<string, readonly string[]> }): Promise<ApplyOutcome> {
  const parsed = hrRecordSchema.safeParse(record);
  if (!parsed.success) throw new AppError("BAD_REQUEST", describeIssues(parsed.error));
  try {
    return await applyOne(tx, parsed.data, { userId }, options, new Map());
  } catch (error) {
    const [, message] = explain(error);
    return { outcome: "error", userId, message, events: [] };
  }
}

function errorReport(line: number, email: string | null, kind: RowErrorKind, message: string): RowReport {
  return { line, email, outcome: "error", message, events: [], errorKind: kind };
}

function explain(error: unknown): [RowErrorKind, string] {
  if (error instanceof RowError) return [error.kind, error.message];
  if (error instanceof AppError) return [error.code === "CONFLICT" ? "conflict" : error.code === "NOT_FOUND" ? "not_found" : "invalid", error.message];
  if ((error as { code?: string } | null)?.code === "P2002") {
    return ["conflict", "Another person already has this email, userName, employee id or external id (changed at the same moment): try again."];
  }
  console.error("HR record could not be applied", error);
  return ["invalid", "This row could not be applied because of an error on our side: try again."];
}

type ApplyOutcome = Omit<RowReport, "line" | "email">;

function snapshotOf(p: Person): Snapshot {
  return {
    email: p.email,
    name: p.name,
    title: p.title,
    department: p.department?.name ?? null,
    location: p.location,
    manager: p.manager?.email ?? null,
    employeeId: p.employeeId,
    externalId: p.scimExternalId,
    userName: p.scimUserName,
    scimEmail: p.scimEmail,
    givenName: p.givenName,
    familyName: p.familyName,
  };
}

async function applyOne(tx: Tx, record: HrRecord, targeting: Targeting, options: ApplyOptions, failed: ReadonlyMap<string, number>): Promise<ApplyOutcome> {
  const found = await findPerson(tx, record, targeting);
  if (!found) return createPerson(tx, record, options, failed);
  // One change to a person at a time (a CSV upload and a SCIM push may arrive together).
  await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${found.id} FOR UPDATE`;
  // A rehire over SCIM: the person deleted there is visible to SCIM again, with the same id.
  if (targeting.revive) await tx.user.update({ where: { id: found.id }, data: { scimDeletedAt: null } });
  const person = await tx.user.findUniqueOrThrow({ where: { id: found.id }, select: personSelect });
  return updatePersonFromHr(tx, person, record, options, failed);
}

function reasonFor(options: ApplyOptions): string {
  return options.reason ? `${SOURCE_TEXT[options.source]}: ${options.reason}` : SOURCE_TEXT[options.source];
}

async function createPerson(tx: Tx, record: HrRecord, options: ApplyOptions, failed: ReadonlyMap<string, number>): Promise<ApplyOutcome> {
  const manager = await resolveManager(tx, record, null, failed);
  const state = STATE[record.status ?? "active"];
  const user = await tx.user.create({
    data: {
      email: record.email,
      name: record.name ?? null,
      title: record.title ?? null,
      departmentId: (await departmentIdFor(tx, record.department)) ?? null,
      managerId: manager?.id ?? null,
      location: record.location ?? null,
      employeeId: record.employeeId ?? null,
      scimExternalId: record.externalId ?? null,
      scimUserName: record.userName ?? null,
      scimEmail: record.scimEmail ?? null,
      givenName: record.givenName ?? null,
      familyName: record.familyName ?? null,
      lifecycleState: state,
      lifecycleChangedAt: new Date(),
    },
    select: personSelect,
  });
  await recordAudit(tx, {
    actorId: options.actorId,
    action: "person.joined",
    objectType: "user",
    objectId: user.id,
    after: { ...snapshotOf(user), state },
    reason: reasonFor(options),
  });
  if (state === "ACTIVE") await enqueueEvent(tx, personChanged, { userId: user.id, change: "joiner" });
  if (state === "LEAVE") await enqueueEvent(tx, personChanged, { userId: user.id, change: "leave" });
  const stateNote = state === "ACTIVE" ? "" : ` (${state === "LEAVE" ? "on leave" : "terminated"})`;
  return { outcome: "created", userId: user.id, message: `Joined${stateNote}${manager ? `, reporting to ${manager.email}` : ""}.`, events: ["person.joined"] };
}

async function updatePersonFromHr(tx: Tx, person: Person, record: HrRecord, options: ApplyOptions, failed: ReadonlyMap<string, number>): Promise<ApplyOutcome> {
  const before = snapshotOf(person);
  const manager = await resolveManager(tx, record, person.id, failed);
  const name = record.name === undefined ? before.name : record.name;
  // Parts left out of a record that renames the person describe the old name: cleared.
  const part = (given: string | null | undefined, was: string | null) => (given !== undefined ? given : name === before.name ? was : null);
  const after: Snapshot = {
    email: record.email,
    name,
    title: record.title === undefined ? before.title : record.title,
    department: record.department === undefined ? before.department : record.department,
    location: record.location === undefined ? before.location : record.location,
    manager: manager === undefined ? before.manager : (manager?.email ?? null),
    employeeId: record.employeeId === undefined ? before.employeeId : record.employeeId,
    externalId: record.externalId === undefined ? before.externalId : record.externalId,
    userName: record.userName === undefined ? before.userName : record.userName,
    scimEmail: record.scimEmail === undefined ? before.scimEmail : record.scimEmail,
    givenName: part(record.givenName, before.givenName),
    familyName: part(record.familyName, before.familyName),
  };
  // Stored as sent: a new spelling of the same address (Ada@… for ada@…) is kept too.
  const changed = FIELDS.filter((f) => before[f] !== after[f]);
  const fromState = person.lifecycleState;
  const toState = record.status ? STATE[record.status] : fromState;
  const events: string[] = [];
  const notes: string[] = [];
  const reason = reasonFor(options);

  if (changed.length > 0) {
    await tx.user.update({
      where: { id: person.id },
      data: {
        ...(changed.includes("email") ? { email: after.email } : {}),
        ...(changed.includes("name") ? { name: after.name } : {}),
        ...(changed.includes("title") ? { title: after.title } : {}),
        ...(changed.includes("department") ? { departmentId: await departmentIdFor(tx, after.department) } : {}),
        ...(changed.includes("location") ? { location: after.location } : {}),
        ...(changed.includes("manager") ? { managerId: manager?.id ?? null } : {}),
        ...(changed.includes("employeeId") ? { employeeId: after.employeeId } : {}),
        ...(changed.includes("externalId") ? { scimExternalId: after.externalId } : {}),
        ...(changed.includes("userName") ? { scimUserName: after.userName } : {}),
        ...(changed.includes("scimEmail") ? { scimEmail: after.scimEmail } : {}),
        ...(changed.includes("givenName") ? { givenName: after.givenName } : {}),
        ...(changed.includes("familyName") ? { familyName: after.familyName } : {}),
      },
    });
    const moved = MOVER_FIELDS.filter((f) => changed.includes(f));
    const isMover = moved.length > 0 && toState !== "TERMINATED";
    await recordAudit(tx, {
      actorId: options.actorId,
      action: isMover ? "person.moved" : "user.updated",
      objectType: "user",
      objectId: person.id,
      before: pick(before, changed),
      after: pick(after, changed),
      reason,
    });
    if (isMover) events.push("person.moved");
    notes.push(changed.map((f) => describeChange(f, before[f], after[f])).join(", "));
    if (toState !== "TERMINATED") {
      // The same path as an admin's correction: the accounts the portal manages follow.
      const accounts = await requestAccountUpdates(tx, person.id);
      if (accounts > 0) notes.push(`${accounts} account${accounts === 1 ? "" : "s"} to update`);
    }
    if (isMover) {
      await enqueueEvent(tx, personChanged, { userId: person.id, change: "mover" });
      const managerId = manager === undefined ? person.managerId : (manager?.id ?? null);
      if (managerId) {
        await enqueueEvent(tx, moverManagerNotify, {
          userId: person.id,
          managerId,
          changes: moved.map((f) => ({ field: f, before: before[f], after: after[f] })),
        });
      }
    }
  }

  let outcome: RowOutcome = changed.length > 0 ? "updated" : "unchanged";
  if (toState !== fromState) {
    await tx.user.update({ where: { id: person.id }, data: { lifecycleState: toState, lifecycleChangedAt: new Date() } });
    const transition = await changeState(tx, { id: person.id, email: after.email }, fromState, toState, options.actorId, reason, options.pinnedGrants);
    events.push(transition.event);
    notes.push(transition.note);
    outcome = toState === "TERMINATED" ? "terminated" : "updated";
  }
  const message = outcome === "unchanged" ? "No changes." : `${notes.filter(Boolean).join("; ")}.`.replace(/^./, (c) => c.toUpperCase());
  return { outcome, userId: person.id, message, events };
}

/** Writes the lifecycle event of a state change and starts what it causes. */
async function changeState(
  tx: Tx,
  person: { id: string; email: string },
  from: LifecycleState,
  to: LifecycleState,
  actorId: string | null,
  reason: string,
  pinnedGrants?: ApplyOptions["pinnedGrants"],
): Promise<{ event: string; note: string }> {
  const audit = (action: string) =>
    recordAudit(tx, { actorId, action, objectType: "user", objectId: person.id, before: { state: from }, after: { state: to }, reason });
  if (to === "TERMINATED") {
    const summary = await offboard(tx, person.id, actorId, pinnedGrants?.get(person.id));
    await audit("person.terminated");
    await enqueueEvent(tx, personChanged, { userId: person.id, change: "leaver" });
    return { event: "person.terminated", note: leaverNote(summary) };
  }
  if (to === "LEAVE") {
    await audit("person.leave_started");
    // They cannot sign in while away (server/auth/people.ts): end the sessions they have.
    await endSessions(tx, person);
    await enqueueEvent(tx, lifecycleAccountsRequested, { userId: person.id });
    await enqueueEvent(tx, personChanged, { userId: person.id, change: "leave" });
    return { event: "person.leave_started", note: "on leave: the accounts the portal manages are being suspended" };
  }
  // Back to active: from leave, or rehired after leaving.
  if (from === "LEAVE") {
    await audit("person.returned");
    await enqueueEvent(tx, lifecycleAccountsRequested, { userId: person.id });
    await enqueueEvent(tx, personChanged, { userId: person.id, change: "return" });
    return { event: "person.returned", note: "returned from leave: suspended accounts are being restored" };
  }
  await audit("person.joined");
  await enqueueEvent(tx, personChanged, { userId: person.id, change: "joiner" });
  return { event: "person.joined", note: "rehired" };
}

const LABELS: Record<Field, string> = {
  email: "email",
  name: "name",
  title: "title",
  department: "department",
  location: "location",
  manager: "manager",
  employeeId: "employee id",
  externalId: "external id",
  userName: "userName",
  scimEmail: "work email",
  givenName: "given name",
  familyName: "family name",
};
const label = (f: Field) => LABELS[f];

function describeChange(f: Field, from: string | null, to: string | null): string {
  if (from === null) return `${label(f)} set to ${to}`;
  if (to === null) return `${label(f)} cleared (was ${from})`;
  return `${label(f)} ${from} → ${to}`;
}

function pick(snapshot: Snapshot, fields: readonly Field[]): Record<string, string | null> {
  return Object.fromEntries(fields.map((f) => [f, snapshot[f]]));
}
