import type { DemoDatabase } from "@/test/fixtures";

// Reconciliation findings written directly, as a run of GitHub's SCIM connector would leave them, for
// the tests of the owner's actions and of the authorization matrix (no target needed).

let serial = 0;

/** A finished run of GitHub's SCIM connector that findings point at. */
export async function githubRun(demo: DemoDatabase) {
  const github = await demo.db.app.findUniqueOrThrow({ where: { slug: "github" }, include: { connectors: true } });
  const connector = github.connectors.find((c) => c.method === "SCIM")!;
  const run = await demo.db.reconcileRun.create({
    data: { connectorId: connector.id, appId: github.id, trigger: "hourly", status: "DONE", progress: "Done", finishedAt: new Date(), counts: { UNMANAGED: 1 } },
  });
  return { app: github, connector, run };
}

type Run = Awaited<ReturnType<typeof githubRun>>;

/** `person` (a demo key) in the SCIM group of GitHub's `entitlement`, with no grant: unmanaged access. */
export async function unmanagedFinding(demo: DemoDatabase, run: Run, person: string, entitlement: string) {
  const user = await demo.db.user.findUniqueOrThrow({ where: { email: `${person}@example.com` } });
  const e = await demo.entitlement("github", entitlement);
  const n = ++serial;
  return demo.db.reconcileFinding.create({
    data: {
      connectorId: run.connector.id,
      appId: run.app.id,
      kind: "UNMANAGED",
      // One account per person on the target; the subject differs so the same membership can be found again.
      subjectKey: `member:group-${e.externalName}:account-${person}:${n}`,
      userId: user.id,
      entitlementId: e.id,
      accountId: `account-${person}`,
      accountName: user.email,
      groupId: `group-${e.externalName}`,
      groupName: e.externalName,
      detail: "added on the target by hand",
      firstSeenRunId: run.run.id,
      lastSeenRunId: run.run.id,
    },
  });
}

/** An active account on the target nobody in the portal matches. */
export async function orphanFinding(demo: DemoDatabase, run: Run, userName = `ghost${++serial}@example.com`) {
  return demo.db.reconcileFinding.create({
    data: {
      connectorId: run.connector.id,
      appId: run.app.id,
      kind: "ORPHAN",
      subjectKey: `account:${userName}`,
      accountId: `scim-${userName}`,
      accountName: userName,
      detail: "no such person in the portal",
      firstSeenRunId: run.run.id,
      lastSeenRunId: run.run.id,
    },
  });
}
