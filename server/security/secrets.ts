import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { secretsKeySchema } from "@/server/env";

// Secrets at rest (connector tokens and passwords) by envelope encryption: each sealed value gets its
// own random data key; the value is encrypted with it (AES-256-GCM) and the data key is wrapped with a
// key-encryption key that never enters the database: SECRETS_KEY, or a key generated in
// .data/secrets.key. Every box names the id of the key that wrapped it, so after a rotation the old key
// still opens what has not been re-sealed yet (SECRETS_KEY_PREVIOUS, or the older keys in the file).

/** A sealed value as stored: base64 of iv (12 bytes) | tag (16) | ciphertext, for the data and its key. */
export type SealedBox = { v: 1; kid: string; dek: string; data: string };

export type Keyring = {
  current: { id: string; key: Buffer };
  /** Every key that may open a box, by id: the current one and earlier ones. */
  keys: Map<string, Buffer>;
  /** Where the keys came from, for messages. */
  source: string;
};

/** A box that cannot be opened: the key it needs is missing, or the box was altered or moved. */
export class SecretsKeyError extends Error {
  override name = "SecretsKeyError";
}

type KeyFile = { version: 1; current: string; keys: Record<string, string> };

const KEY_BYTES = 32;

/** A key's id: a hash of the key, so the same key has the same id everywhere and reveals nothing. */
export function keyId(key: Buffer): string {
  return createHash("sha256").update("access-portal secrets key\0").update(key).digest("hex").slice(0, 16);
}

export const generateKey = (): Buffer => randomBytes(KEY_BYTES);

function decodeKey(base64: string, name: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== KEY_BYTES) throw new SecretsKeyError(`${name} must be ${KEY_BYTES} bytes in base64 (got ${key.length}).`);
  return key;
}

export function defaultKeyFile(source: Record<string, string | undefined> = process.env): string {
  // A path known only at run time: the ignore comments keep Next's build from tracing the whole project.
  return path.resolve(/*turbopackIgnore: true*/ source.SECRETS_KEY_FILE || path.join(/*turbopackIgnore: true*/ process.cwd(), ".data", "secrets.key"));
}

function readKeyFile(file: string): KeyFile {
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as KeyFile;
  } catch (e) {
    throw new SecretsKeyError(`The secrets key file ${file} cannot be read: ${(e as Error).message}`);
  }
  if (!parsed.keys?.[parsed.current]) throw new SecretsKeyError(`The secrets key file ${file} has no current key.`);
  // Whoever can read the file can read every connector secret.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return parsed;
}

/** Writes the whole file at once: a reader never sees half a file, and a crash leaves the old one. */
function writeKeyFile(file: string, content: KeyFile, exclusive: boolean): boolean {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  try {
    if (!exclusive) {
      renameSync(temp, file);
      return true;
    }
    // Two processes starting together (the portal, its engine, test workers) must end up with one key.
    try {
      linkSync(temp, file);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

function ringFromFile(file: string): Keyring {
  if (!existsSync(file)) {
    const key = generateKey();
    writeKeyFile(file, { version: 1, current: keyId(key), keys: { [keyId(key)]: key.toString("base64") } }, true);
  }
  const content = readKeyFile(file);
  const keys = new Map(Object.entries(content.keys).map(([id, k]) => [id, decodeKey(k, `Key ${id} in ${file}`)]));
  return { current: { id: content.current, key: keys.get(content.current)! }, keys, source: file };
}

/** The keys the settings name: SECRETS_KEY (and SECRETS_KEY_PREVIOUS), else the key file, created when missing. */
export function loadKeyring(source: Record<string, string | undefined> = process.env): Keyring {
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = secretsKeySchema.safeParse(raw);
  if (!parsed.success) throw new SecretsKeyError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const settings = parsed.data;
  if (!settings.SECRETS_KEY) return ringFromFile(defaultKeyFile(source));
  const current = decodeKey(settings.SECRETS_KEY, "SECRETS_KEY");
  const previous = (settings.SECRETS_KEY_PREVIOUS ?? "").split(",").filter((k) => k.trim()).map((k) => decodeKey(k, "SECRETS_KEY_PREVIOUS"));
  const keys = new Map([...previous, current].map((k) => [keyId(k), k]));
  return { current: { id: keyId(current), key: current }, keys, source: "SECRETS_KEY" };
}

let cached: { ring: Keyring; fileMtime?: number } | undefined;

const mtime = (file: string) => (existsSync(file) ? statSync(file).mtimeMs : undefined);

/**
 * The process's keyring. With the key file it is re-read when the file changes, so a running portal
 * seals with the new key as soon as `npm run secrets:rotate` has added it.
 */
export function keyring(): Keyring {
  if (cached && cached.ring.source !== "SECRETS_KEY" && cached.fileMtime !== mtime(cached.ring.source)) cached = undefined;
  if (!cached) {
    const ring = loadKeyring();
    cached = { ring, fileMtime: ring.source === "SECRETS_KEY" ? undefined : mtime(ring.source) };
  }
  return cached.ring;
}

/** Forget the cached keys (after the settings changed, in tests and the rotation command). */
export function forgetKeyring(): void {
  cached = undefined;
}

function encrypt(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

function decrypt(key: Buffer, sealed: string, aad: string): Buffer {
  const bytes = Buffer.from(sealed, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12)).setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
}

/**
 * Seals `plaintext`. `context` is bound to the box (authenticated, not stored): opening it under any
 * other context fails, so a box copied to another row or next to another address is useless.
 */
export function seal(plaintext: string, context: string, ring: Keyring = keyring()): SealedBox {
  const dataKey = randomBytes(KEY_BYTES);
  const data = encrypt(dataKey, Buffer.from(plaintext, "utf8"), context);
  const dek = encrypt(ring.current.key, dataKey, `dek:${ring.current.id}`);
  dataKey.fill(0);
  return { v: 1, kid: ring.current.id, dek, data };
}

export function isSealedBox(value: unknown): value is SealedBox {
  const box = value as Partial<SealedBox> | null;
  return typeof box === "object" && box !== null && box.v === 1 && typeof box.kid === "string" && typeof box.dek === "string" && typeof box.data === "string";
}

/** Opens a box sealed with `context`; throws SecretsKeyError saying which key is missing or that it was altered. */
export function unseal(box: SealedBox, context: string, ring?: Keyring): string {
  let keys = ring ?? keyring();
  if (!keys.keys.has(box.kid) && !ring) {
    // Another process may have rotated the key since this one read it.
    forgetKeyring();
    keys = keyring();
  }
  const kek = keys.keys.get(box.kid);
  if (!kek) {
    throw new SecretsKeyError(
      `sealed with key ${box.kid}, which is not available (keys from ${keys.source}: ${[...keys.keys.keys()].join(", ")}). ` +
        "Set SECRETS_KEY to the key it was sealed with (or add it to SECRETS_KEY_PREVIOUS), or restore the key file.",
    );
  }
  try {
    const dataKey = decrypt(kek, box.dek, `dek:${box.kid}`);
    return decrypt(dataKey, box.data, context).toString("utf8");
  } catch {
    throw new SecretsKeyError(`cannot be decrypted with key ${box.kid}: the stored value was altered, or belongs to another connector or address.`);
  }
}

/** Adds a new current key to the key file, keeping the old ones readable; returns the new key's id. */
export function addKeyToFile(file: string = defaultKeyFile()): string {
  const content = existsSync(/*turbopackIgnore: true*/ file) ? readKeyFile(file) : { version: 1 as const, current: "", keys: {} };
  const key = generateKey();
  const id = keyId(key);
  writeKeyFile(file, { version: 1, current: id, keys: { ...content.keys, [id]: key.toString("base64") } }, false);
  forgetKeyring();
  return id;
}

/** Drops keys from the key file that no stored secret uses any more. */
export function dropKeysFromFile(keep: Set<string>, file: string = defaultKeyFile()): string[] {
  const content = readKeyFile(file);
  const dropped = Object.keys(content.keys).filter((id) => id !== content.current && !keep.has(id));
  if (dropped.length === 0) return [];
  const keys = Object.fromEntries(Object.entries(content.keys).filter(([id]) => !dropped.includes(id)));
  writeKeyFile(file, { ...content, keys }, false);
  forgetKeyring();
  return dropped;
}
