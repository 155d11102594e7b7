import { z } from "zod";
import type { Actor } from "@/server/actor";
import type { Db } from "@/server/db";
import { AppError, forbidden, notFound } from "@/server/errors";
import { applyHrRecords } from "./apply";
import { MAX_CSV_ROWS, parseHrCsv } from "./csv";
import { importCsvInput, listPeopleInput, setLifecycleInput, type LifecycleStateName } from "./inputs";
import type { RowOutcome, RowReport } from "./record";

// The admin people page: the directory with lifecycle states and live access, the HR CSV upload, and an
// admin's own lifecycle action — all through applyHrRecords, like the SCIM feed.

export { importCsvInput, listPeopleInput, setLifecycleInput };

const requireAdmin = (actor: Actor, what: string) => {
  if (!actor.isAdmin) throw forbidden(`Only an admin can ${what}.`);
};

const LISTED_GRANTS = ["PENDING", "PROVISIONING", "PROVISIONED", "FAILED", "DELETING"] as const;

export async function listPeople(db: Db, actor: Actor, input: z.input<typeof listPeopleInput>) {
  requireAdmin(actor, "see the people directory");
  const { q, state } = listPeopleInput.parse(input);
  const contains = { contains: q, mode: "insensitive" as const };
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
  requireAdmin(actor, "upload HR data");
  const { csv } = importCsvInput.parse(input);
  const parsed = parseHrCsv(csv);
  if (parsed.fatal) {
    // A problem with the file as a whole is the field's problem: nothing was applied.
    throw new z.ZodError([{ code: "custom", path: ["csv"], message: parsed.fatal, input: undefined }]);
  }
  if (parsed.rows.length === 0 && parsed.badRows.length === 0) {
    throw new z.ZodError([{ code: "custom", path: ["csv"], message: `The file has a header but no people: add one row per person (at most ${MAX_CSV_ROWS}).`, input: undefined }]);
  }
  const result = await applyHrRecords(db, parsed.rows, { actorId: actor.id, source: "csv" });
  const bad: RowReport[] = parsed.badRows.map((b) => ({ line: b.line, email: null, outcome: "error", message: b.message, events: [], errorKind: "invalid" }));
  const rows = [...result.rows, ...bad].sort((a, b) => a.line - b.line);
  return { rows, counts: { ...result.counts, error: result.counts.error + bad.length }, unknownColumns: parsed.unknownColumns };
}


/** An admin sets a person Active, on Leave or Terminated, with a reason: the same path as the HR feeds. */
export async function setLifecycleState(db: Db, actor: Actor, input: z.input<typeof setLifecycleInput>): Promise<RowReport> {
  requireAdmin(actor, "change a person's lifecycle state");
  const { userId, state, reason } = setLifecycleInput.parse(input);
  const person = await db.user.findUnique({ where: { id: userId }, select: { email: true, lifecycleState: true } });
  if (!person) throw notFound("That person");
  if (userId === actor.id && state !== "ACTIVE") throw new AppError("BAD_REQUEST", "You cannot put yourself on leave or terminate yourself: ask another admin.");
  if (person.lifecycleState === state) throw new AppError("CONFLICT", `${person.email} is already ${stateText(state)}.`);
  const { rows } = await applyHrRecords(db, [{ userId, email: person.email, status: state.toLowerCase() }], { actorId: actor.id, source: "admin", reason });
  const row = rows[0]!;
  if (row.outcome === "error") throw new AppError(row.errorKind === "conflict" ? "CONFLICT" : row.errorKind === "not_found" ? "NOT_FOUND" : "BAD_REQUEST", row.message);
  return row;
}

const stateText = (state: LifecycleStateName) => ({ ACTIVE: "active", LEAVE: "on leave", TERMINATED: "terminated" })[state];
