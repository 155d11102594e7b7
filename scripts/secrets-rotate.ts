// `npm run secrets:rotate [-- --prune]`: seal every connector secret again under a new key.
// - With the key file (.data/secrets.key, the default): a new key is added to the file and becomes the
//   current one; the old keys stay in it, so nothing becomes unreadable. --prune then drops the keys no
//   connector uses any more. A running portal picks up the new key by itself.
// - With SECRETS_KEY: set SECRETS_KEY to the new key and SECRETS_KEY_PREVIOUS to the old one (on the
//   portal too, and restart it), then run this; afterwards SECRETS_KEY_PREVIOUS can be removed.
// Uses DATABASE_URL, or the embedded database of `npm start`.
import { resealConnectorSecrets } from "@/server/security/rotate-secrets";
import { addKeyToFile, defaultKeyFile, dropKeysFromFile, forgetKeyring, keyring } from "@/server/security/secrets";
import { withAuditDatabase } from "./lib/audit-database";

async function main(): Promise<number> {
  const prune = process.argv.includes("--prune");
  const fromEnv = Boolean(process.env.SECRETS_KEY);
  if (fromEnv) {
    if (prune) console.log("--prune applies to the key file; with SECRETS_KEY, remove SECRETS_KEY_PREVIOUS instead.");
    console.log(`sealing under SECRETS_KEY (key ${keyring().current.id})`);
  } else {
    const file = defaultKeyFile();
    console.log(`added key ${addKeyToFile(file)} to ${file}; sealing under it`);
  }
  forgetKeyring();
  const ring = keyring();
  const report = await withAuditDatabase((db) => resealConnectorSecrets(db, ring));
  console.log(`sealed the secrets of ${report.resealed} connector(s) again under key ${ring.current.id} (${report.wasPlain} had them in plain text)`);
  for (const f of report.failed) console.error(`  NOT SEALED: ${f.name} (${f.id}): ${f.problem}`);
  if (report.failed.length > 0) return 1;
  if (!fromEnv && prune) {
    const dropped = dropKeysFromFile(report.keysInUse);
    console.log(dropped.length ? `dropped key(s) no connector uses: ${dropped.join(", ")}` : "no unused keys to drop");
  } else if (fromEnv && process.env.SECRETS_KEY_PREVIOUS) {
    console.log("every connector is sealed under SECRETS_KEY now: SECRETS_KEY_PREVIOUS can be removed.");
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error("secrets:rotate failed:", e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
