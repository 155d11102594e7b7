import { describe, expect, it } from "vitest";
import { fileTime, generalizedTime, lastSeenOf } from "@/server/reconciliation/ldap-times";

// When a directory last saw an account, as access reviewers are told: a last-logon attribute when the
// directory keeps one, else the entry's last change.

const dn = "uid=tom,ou=people,dc=example,dc=com";

describe("reading directory times", () => {
  it("reads Active Directory's FILETIME (100-ns since 1601), and its 'never' values as nothing", () => {
    // Microsoft's own example: 128271382742968750 is 24 June 2007, 05:57:54.296875 UTC.
    expect(fileTime("128271382742968750")).toBe("2007-06-24T05:57:54.296Z");
    expect(fileTime("134407602000000000")).toBe("2026-12-03T08:30:00.000Z");
    expect(fileTime("0")).toBeNull();
    expect(fileTime("9223372036854775807")).toBeNull();
    expect(fileTime("20261203083000Z")).toBeNull();
    expect(fileTime(undefined)).toBeNull();
  });

  it("reads generalized time with seconds, fractions or an offset", () => {
    expect(generalizedTime("20261203083000Z")).toBe("2026-12-03T08:30:00.000Z");
    expect(generalizedTime("20261203083000.123456Z")).toBe("2026-12-03T08:30:00.000Z");
    expect(generalizedTime("202612030830Z")).toBe("2026-12-03T08:30:00.000Z");
    expect(generalizedTime("20261203093000+0100")).toBe("2026-12-03T08:30:00.000Z");
    expect(generalizedTime("yesterday")).toBeNull();
    expect(generalizedTime("20261399083000Z")).toBeNull();
  });
});

describe("when an account was last seen", () => {
  it("prefers Active Directory's lastLogonTimestamp over the entry's last change", () => {
    expect(lastSeenOf({ dn, lastLogonTimestamp: "134407602000000000", modifyTimestamp: "20261204120000.0Z" })).toEqual({ at: "2026-12-03T08:30:00.000Z", attribute: "lastLogonTimestamp" });
  });

  it("uses OpenLDAP's pwdLastSuccess (ppolicy) or authTimestamp (lastbind), whatever their case", () => {
    expect(lastSeenOf({ dn, pwdlastsuccess: "20260801000000Z", modifyTimestamp: "20261204120000Z" })).toEqual({ at: "2026-08-01T00:00:00.000Z", attribute: "pwdLastSuccess" });
    expect(lastSeenOf({ dn, authTimestamp: ["20260901000000Z"], modifyTimestamp: "20261204120000Z" })).toEqual({ at: "2026-09-01T00:00:00.000Z", attribute: "authTimestamp" });
  });

  it("falls back to modifyTimestamp when the account never signed in or the directory keeps no logon time", () => {
    expect(lastSeenOf({ dn, lastLogonTimestamp: "0", modifyTimestamp: "20261204120000Z" })).toEqual({ at: "2026-12-04T12:00:00.000Z", attribute: "modifyTimestamp" });
    expect(lastSeenOf({ dn, modifyTimestamp: "20261204120000Z" })).toEqual({ at: "2026-12-04T12:00:00.000Z", attribute: "modifyTimestamp" });
    expect(lastSeenOf({ dn })).toEqual({ at: null, attribute: "modifyTimestamp" });
  });
});
