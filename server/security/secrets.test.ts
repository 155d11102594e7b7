import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addKeyToFile, dropKeysFromFile, generateKey, keyId, loadKeyring, seal, SecretsKeyError, unseal } from "@/server/security/secrets";

const b64 = (key: Buffer) => key.toString("base64");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "secrets-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("sealed secrets", () => {
  it("open with the key and context they were sealed with, and show no plaintext", () => {
    const ring = loadKeyring({ SECRETS_KEY: b64(generateKey()) });
    const box = seal("scim-token-123", "ctx", ring);
    expect(JSON.stringify(box)).not.toContain("scim-token-123");
    expect(box.kid).toBe(ring.current.id);
    expect(unseal(box, "ctx", ring)).toBe("scim-token-123");
    // A fresh data key every time: the same secret never looks the same twice.
    expect(seal("scim-token-123", "ctx", ring).data).not.toBe(box.data);
  });

  it("fail clearly with a wrong key, a changed context or altered bytes", () => {
    const ring = loadKeyring({ SECRETS_KEY: b64(generateKey()) });
    const other = loadKeyring({ SECRETS_KEY: b64(generateKey()) });
    const box = seal("hunter2", "ctx", ring);
    expect(() => unseal(box, "ctx", other)).toThrow(SecretsKeyError);
    expect(() => unseal(box, "ctx", other)).toThrow(new RegExp(`sealed with key ${box.kid}, which is not available.*SECRETS_KEY`));
    expect(() => unseal(box, "other ctx", ring)).toThrow(/cannot be decrypted .*altered, or belongs to another connector/);
    const flipped = Buffer.from(box.data, "base64");
    flipped[flipped.length - 1]! ^= 1;
    expect(() => unseal({ ...box, data: flipped.toString("base64") }, "ctx", ring)).toThrow(/cannot be decrypted/);
    // A key with the right id but other bits (a hand-edited file) is caught by the wrapped data key's tag.
    const forged = { ...other, keys: new Map([[box.kid, other.current.key]]) };
    expect(() => unseal(box, "ctx", forged)).toThrow(/cannot be decrypted/);
  });

  it("stay readable under SECRETS_KEY_PREVIOUS after the key changes", () => {
    const old = generateKey();
    const box = seal("hunter2", "ctx", loadKeyring({ SECRETS_KEY: b64(old) }));
    const next = generateKey();
    const rotated = loadKeyring({ SECRETS_KEY: b64(next), SECRETS_KEY_PREVIOUS: ` ${b64(generateKey())}, ${b64(old)}` });
    expect(unseal(box, "ctx", rotated)).toBe("hunter2");
    expect(rotated.current.id).toBe(keyId(next));
    expect(seal("x", "ctx", rotated).kid).toBe(keyId(next));
  });

  it("refuse a malformed key setting with a message naming it", () => {
    expect(() => loadKeyring({ SECRETS_KEY: "too-short" })).toThrow(/SECRETS_KEY: must be the current key: 32 random bytes in base64/);
    expect(() => loadKeyring({ SECRETS_KEY: b64(generateKey()), SECRETS_KEY_PREVIOUS: "nope" })).toThrow(/SECRETS_KEY_PREVIOUS/);
  });
});

describe("the key file", () => {
  it("is created on first use, readable by its owner only, and reused after that", () => {
    const file = path.join(dir, ".data", "secrets.key");
    const first = loadKeyring({ SECRETS_KEY_FILE: file });
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadKeyring({ SECRETS_KEY_FILE: file }).current.id).toBe(first.current.id);
    expect(readFileSync(file, "utf8")).toContain(first.current.id);
  });

  it("is tightened to mode 600 when found looser", () => {
    const file = path.join(dir, "secrets.key");
    loadKeyring({ SECRETS_KEY_FILE: file });
    chmodSync(file, 0o644);
    loadKeyring({ SECRETS_KEY_FILE: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("gains a new current key on rotation, keeps the old one readable, and drops it only when unused", () => {
    const file = path.join(dir, "secrets.key");
    const before = loadKeyring({ SECRETS_KEY_FILE: file });
    const box = seal("hunter2", "ctx", before);
    const newId = addKeyToFile(file);
    const after = loadKeyring({ SECRETS_KEY_FILE: file });
    expect(after.current.id).toBe(newId);
    expect(newId).not.toBe(before.current.id);
    expect(unseal(box, "ctx", after)).toBe("hunter2");
    expect(dropKeysFromFile(new Set([before.current.id]), file)).toEqual([]);
    expect(dropKeysFromFile(new Set([newId]), file)).toEqual([before.current.id]);
    expect(() => unseal(box, "ctx", loadKeyring({ SECRETS_KEY_FILE: file }))).toThrow(SecretsKeyError);
  });

  it("says what is wrong when it cannot be read", () => {
    const file = path.join(dir, "secrets.key");
    writeFileSync(file, "not json", { mode: 0o600 });
    expect(() => loadKeyring({ SECRETS_KEY_FILE: file })).toThrow(/secrets key file .* cannot be read/);
  });
});
