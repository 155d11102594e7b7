// What the profile sync functions (inngest/functions/sync-profiles.ts) call, bound to the app's pool.
import "server-only";
import { db, withAppDb } from "@/server/db";
import * as sync from "@/server/enrollment/sync";
import * as worker from "@/server/enrollment/worker";

export const syncProfile = withAppDb(sync.syncProfile);
export const processEnrollmentQueue = withAppDb(worker.processEnrollmentQueue);

/** Profiles with an enabled rule: the ones a scheduled or a person's sync looks at. */
export async function profilesWithRules(): Promise<string[]> {
  const rows = await db().accessProfile.findMany({ where: { rules: { some: { enabled: true } } }, select: { id: true } });
  return rows.map((r) => r.id);
}
