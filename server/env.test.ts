import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";

const base = { DATABASE_URL: "postgres://u@localhost/db", AUTH_SECRET: "s".repeat(32) };

describe("settings", () => {
  it("say which setting is wrong and how", () => {
    expect(() => parseEnv({ DATABASE_URL: "nope", AUTH_SECRET: "short" })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL[\s\S]*AUTH_SECRET: must be at least 32 characters/);
  });

  it("default to the dev mailbox and localhost outside production", () => {
    expect(parseEnv(base)).toMatchObject({ APP_ENV: "development", APP_URL: "http://localhost:3000" });
    expect(parseEnv(base).SMTP_URL).toBeUndefined();
    expect(parseEnv({ ...base, SMTP_URL: "" }).SMTP_URL).toBeUndefined();
  });

  it("refuse production without a public URL and a mail server", () => {
    expect(() => parseEnv({ ...base, APP_ENV: "production" })).toThrow(/APP_URL: required in production[\s\S]*SMTP_URL: required in production/);
    expect(() => parseEnv({ ...base, NODE_ENV: "production" })).toThrow(/SMTP_URL: required/);
    const ok = parseEnv({ ...base, APP_ENV: "production", APP_URL: "https://access.example.com", SMTP_URL: "smtp://mail.example.com" });
    expect(ok.APP_ENV).toBe("production");
  });
});
