import "server-only";
import { z } from "zod";
import { assertAdmin, type Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { AppError, notFound } from "@/server/errors";
import { applyHrRecords } from "./apply";
import { MAX_CSV_ROWS, parseHrCsv } from "./csv";
import { importCsvInput, listPeopleInput, setLifecycleInput, updatePersonInput, type LifecycleStateName } from "@/universal/lifecycle/inputs";
import type { HrRow, RowOutcome, RowReport } from "./record";
import { containing } from "@/server/text-search";

// The admin people page: the directory with lifecycle states and live access, the HR CSV upload, and an
// admin's own lifecycle action — all through applyHrRecords, like the SCIM feed.

export { importCsvInput, listPeopleInput, setLifecycleInput, updatePersonInput };

const LISTED_GRANTS = ["PENDING", "PROVISIONING", "PROVISIONED", "FAILED", "DELETING"] as const;

export async function listPeople(db: Db, actor: Actor, input: z.input<typeof listPeopleInput>) {
  assertAdmin(actor, "see the people directory");
  const { q, state } = listPeopleInput.parse(input);
  const contains = containing(q);
  const where = {
    ...(state ? { lifecycleState: state } : {}),
    ...(q
      ? { OR: [{ name: contains }, { email: contains }, { employeeId: contains }, { title: contains }, { location: contains }, { department: { name: contains } }] }
      : {}),
  };
  const [people, total, byState] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: [{ name: "asc" }, { email: "asc" }],
      take: 200,
      select: {
        id: true,
        name: true,
        email: true,
        title: true,
        location: true,
        employeeId: true,
        isAdmin: true,
        lifecycleState: true,
        lifecycleChangedAt: true,
        department: { select: { name: true } },
        manager: { select: { id: true, name: true, email: true } },
        grants: {
          where: { status: { in: [...LISTED_GRANTS] } },
          orderBy: { createdAt: "asc" },
          select: { id: true, status: true, awaitingRelease: true, entitlement: { select: { name: true, app: { select: { name: true } } } } },
        },
        appAccounts: { where: { status: "SUSPENDED" }, select: { id: true, app: { select: { name: true } } } },
      },
    }),
    db.user.count({ where }),
    db.user.groupBy({ by: ["lifecycleState"], _count: { _all: true } }),
  ]);
  return { people, total, counts: Object.fromEntries(byState.map((g) => [g.lifecycleState, g._count._all])) as Partial<Record<LifecycleStateName, number>> };
}


export interface CsvImportReport {
  rows: RowReport[];
  counts: Record<RowOutcome, number>;
  unknownColumns: string[];
}

/** An admin uploads the HR CSV: each row is applied on its own; the report says what happened to each, by line. */
export async function importHrCsv(db: Db, actor: Actor, input: z.input<typeof importCsvInput>): Promise<CsvImportReport> {
  assertAdmin(actor, "upload HR data");
  const { csv } = importCsvInput.parse(input);
  const parsed = parseHrCsv(csv);
  if (parsed.fatal) {
    // A problem with the file as a whole is the field's problem: nothing was applied.
    throw new z.ZodRealError([{ code: "custom", path: ["csv"], message: parsed.fatal, input: undefined }]);
  }
  if (parsed.rows.length === 0 && parsed.badRows.length === 0) {
    throw new z.ZodRealError([{ code: "custom", path: ["csv"], message: `The file has a header but no people: add one row per person (at most ${MAX_CSV_ROWS}).`, input: undefined }]);
  }
  const result = await applyHrRecords(db, parsed.rows, { actorId: actor.id, source: "csv" });
  const bad: RowReport[] = parsed.badRows.map((b) => ({ line: b.line, email: null, outcome: "error", message: b.message, events: [], errorKind: "invalid" }));
  const rows = [...result.rows, ...bad].sort((a, b) => a.line - b.line);
  return { rows, counts: { ...result.counts, error: result.counts.error + bad.length }, unknownColumns: parsed.unknownColumns };
}


/** An admin sets a person Active, on Leave or Terminated, with a reason: the same path as the HR feeds. */
export async function setLifecycleState(db: Db, actor: Actor, input: z.input<typeof setLifecycleInput>): Promise<RowReport> {
  assertAdmin(actor, "change a person's lifecycle state");
  const { userId, state, reason } = setLifecycleInput.parse(input);
  const person = await db.user.findUnique({ where: { id: userId }, select: { email: true, lifecycleState: true } });
  if (!person) throw notFound("That person");
  if (userId === actor.id && state !== "ACTIVE") throw new AppError("BAD_REQUEST", "You cannot put yourself on leave or terminate yourself: ask another admin.");
  if (person.lifecycleState === state) throw new AppError("CONFLICT", `${person.email} is already ${stateText(state)}.`);
  const { rows } = await applyHrRecords(db, [{ userId, email: person.email, status: state.toLowerCase() }], { actorId: actor.id, source: "admin", reason });
  return appliedOrThrow(rows[0]!);
}

/**
 * An admin edits a person's attributes (name, title, department, location, employee id, manager): an HR
 * record of the person as they are plus the edits, applied like the HR feeds' — so a new department,
 * title, location or manager is a mover (audited, accounts updated, manager told, birthright access
 * recomputed). The lifecycle state stays as it is.
 */
export async function updatePersonAttributes(db: Db, actor: Actor, input: z.input<typeof updatePersonInput>): Promise<RowReport> {
  assertAdmin(actor, "change a person's attributes");
  const { userId, managerId, name, title, department, location, employeeId } = updatePersonInput.parse(input);
  const person = await db.user.findUnique({ where: { id: userId }, select: { email: true, managerId: true } });
  if (!person) throw notFound("That person");

  // Problems the admin fixes in a field are answered as that field's errors.
  const issues: z.core.$ZodIssue[] = [];
  let managerEmail: string | null | undefined;
  if (managerId === null) managerEmail = null;
  else if (managerId !== undefined) {
    const manager = await db.user.findUnique({ where: { id: managerId }, select: { email: true, name: true, lifecycleState: true } });
    if (!manager) issues.push({ code: "custom", path: ["managerId"], message: "That manager is not in the directory (any more): pick someone else.", input: managerId });
    else if (manager.lifecycleState === "TERMINATED" && managerId !== person.managerId) {
      issues.push({ code: "custom", path: ["managerId"], message: `${manager.name ?? manager.email} has left the organisation: pick an active manager.`, input: managerId });
    } else managerEmail = manager.email;
  }
  if (employeeId) {
    const holder = await db.user.findUnique({ where: { employeeId }, select: { id: true, email: true } });
    if (holder && holder.id !== userId) issues.push({ code: "custom", path: ["employeeId"], message: `The employee id ${employeeId} already belongs to ${holder.email}.`, input: employeeId });
  }
  // A ZodRealError (an Error, unlike a constructed ZodError) so tRPC keeps it as the cause and answers with field errors.
  if (issues.length > 0) throw new z.ZodRealError(issues);

  // Left out: stays as it is (and so does the state, with no status); "" clears.
  const record: HrRow & { userId: string } = { userId, email: person.email, name, title, department, location, employeeId, managerEmail };
  const { rows } = await applyHrRecords(db, [record], { actorId: actor.id, source: "admin" });
  return appliedOrThrow(rows[0]!);
}

/** A row an admin's action applied, or its problem as the error the form shows. */
function appliedOrThrow(row: RowReport): RowReport {
  if (row.outcome === "error") throw new AppError(row.errorKind === "conflict" ? "CONFLICT" : row.errorKind === "not_found" ? "NOT_FOUND" : "BAD_REQUEST", row.message);
  return row;
}

const stateText = (state: LifecycleStateName) => ({ ACTIVE: "active", LEAVE: "on leave", TERMINATED: "terminated" })[state];
