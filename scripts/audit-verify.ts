// `npm run audit:verify`: check the audit trail's hash chain, listing every broken row, then check
// it against the signed checkpoints (AUDIT_CHECKPOINT_FILE): deleted newest rows and rewritten,
// re-hashed rows show there. Uses DATABASE_URL, or the embedded database of `npm start`.
import { checkpointSettings, verifyAuditTrail } from "@/server/audit/checkpoint";
import { withAuditDatabase } from "./lib/audit-database";

async function main(): Promise<number> {
  const { settings, report } = await withAuditDatabase(async (db, url) => {
    const settings = checkpointSettings(url);
    return { settings, report: await verifyAuditTrail(db, settings) };
  });
  const anchor = report.latest ? `; matches the latest checkpoint (row #${report.latest.seq}, ${report.latest.count} rows, ${report.latest.at})` : "";
  if (report.ok) {
    console.log(`audit trail intact: ${report.checked} rows, every hash and link checks out${anchor}`);
    if (!report.latest) console.log(`no signed checkpoint of ${settings.database} yet in ${settings.file}: run npm run audit:checkpoint (deleted newest rows cannot be detected without one)`);
    if (!report.latest && report.otherDatabases.length > 0) console.log(`the file holds checkpoints of other databases only: ${report.otherDatabases.join(", ")}`);
    return 0;
  }
  if (report.unsealed) {
    console.error(`audit sealer STOPPED: ${report.unsealed.count} rows appended since ${report.unsealed.oldest.toISOString()} were still unchained after a minute (is the portal's sealer running?); verify chained them now`);
  }
  if (report.broken.length > 0) {
    console.error(`audit trail BROKEN: ${report.broken.length} of ${report.checked} rows do not check out:`);
    for (const b of report.broken) console.error(`  BROKEN at row #${b.seq} (id ${b.id}, ${b.at.toISOString()}): ${b.problem}`);
  } else if (report.checkpointProblems.length > 0) {
    console.error(`every hash and link of the ${report.checked} rows checks out, but the checkpoints disagree:`);
  }
  for (const p of report.checkpointProblems) console.error(`  CHECKPOINT ${p}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error("audit:verify failed:", e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
