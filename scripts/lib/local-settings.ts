import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const projectDir = path.resolve(import.meta.dirname, "../..");
export const dataDir = path.join(projectDir, ".data");

type LocalSecrets = { authSecret: string; scimToken: string };

/**
 * Secrets a one-machine install needs, generated on first start and kept in .data/ (git-ignored) so
 * sessions and the demo SCIM target's token survive restarts.
 */
export function localSecrets(): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as LocalSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets = { authSecret: randomBytes(32).toString("base64url"), scimToken: randomBytes(16).toString("hex") };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
