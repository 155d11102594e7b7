// `npm run audit:checkpoint`: sign the audit trail's head (seq, hash, row count) and append it to
// AUDIT_CHECKPOINT_FILE, as the hourly background job does. Refuses when the trail no longer checks out.
import { checkpointSettings, writeCheckpoint } from "@/server/audit/checkpoint";
import { withAuditDatabase } from "./lib/audit-database";

async function main(): Promise<number> {
  const { settings, result } = await withAuditDatabase(async (db, url) => {
    const settings = checkpointSettings(url);
    return { settings, result: await writeCheckpoint(db, settings) };
  });
  if (!result.ok) {
    console.error("audit checkpoint REFUSED: the trail no longer checks out:");
    for (const p of result.problems) console.error(`  ${p}`);
    return 1;
  }
  if (!result.checkpoint) console.log("the audit trail is empty: nothing to checkpoint");
  else console.log(`audit checkpoint written to ${settings.file}: ${result.checkpoint.count} rows up to #${result.checkpoint.seq}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error("audit:checkpoint failed:", e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
