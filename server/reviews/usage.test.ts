import { describe, expect, it } from "vitest";
import { usageOf } from "@/server/reviews/usage";

// The usage line a reviewer reads: only what the target said, "Unknown" otherwise.

const now = new Date("2026-12-05T10:00:00Z");
const read = new Date("2026-12-05T09:00:00Z");
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

describe("whether an account looks used", () => {
  it("looks unused after 90 days without activity on the target, saying since when and where that comes from", () => {
    expect(usageOf("GitHub", { lastActiveAt: daysAgo(200), signal: "SCIM meta.lastModified", readAt: read }, undefined, now)).toEqual({
      state: "unused",
      text: "Looks unused: no activity on GitHub since 19 May 2026, 200 days ago (SCIM meta.lastModified, read 5 Dec 2026)",
    });
  });

  it("is in use when the target saw it recently", () => {
    expect(usageOf("GitHub", { lastActiveAt: daysAgo(2), signal: "LDAP modifyTimestamp", readAt: read }, undefined, now)).toEqual({
      state: "active",
      text: "In use: last activity on GitHub 2 days ago (LDAP modifyTimestamp, read 5 Dec 2026)",
    });
    expect(usageOf("GitHub", { lastActiveAt: daysAgo(89), signal: "SCIM meta.lastModified", readAt: read }, undefined, now).state).toBe("active");
  });

  it("says sign-in, not activity, when the directory reported a last logon", () => {
    expect(usageOf("Corp directory", { lastActiveAt: daysAgo(120), signal: "LDAP lastLogonTimestamp", readAt: read }, undefined, now)).toEqual({
      state: "unused",
      text: "Looks unused: no sign-in to Corp directory since 7 Aug 2026, 120 days ago (LDAP lastLogonTimestamp, read 5 Dec 2026)",
    });
    expect(usageOf("Corp directory", { lastActiveAt: daysAgo(1), signal: "LDAP pwdLastSuccess", readAt: read }, undefined, now).text).toBe(
      "In use: last sign-in to Corp directory yesterday (LDAP pwdLastSuccess, read 5 Dec 2026)",
    );
  });

  it("says Unknown when the target has not reported, or reports no date", () => {
    expect(usageOf("Figma", undefined, undefined, now)).toEqual({ state: "unknown", text: "Unknown: Figma has not reported when this account was last used" });
    expect(usageOf("GitHub", { lastActiveAt: null, signal: "SCIM meta.lastModified", readAt: read }, undefined, now)).toEqual({
      state: "unknown",
      text: "Unknown: GitHub does not say when this account was last used (SCIM meta.lastModified, read 5 Dec 2026)",
    });
    // A snapshot from before the portal read targets keeps what it said.
    expect(usageOf("GitHub", undefined, "Unknown: the portal does not read sign-in activity from this app yet", now).text).toBe("Unknown: the portal does not read sign-in activity from this app yet");
  });
});
