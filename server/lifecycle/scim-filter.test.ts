import { describe, expect, it } from "vitest";
import { usersWhere } from "./scim-filter";
import { ScimError } from "./scim-user";

// What the database is asked for each filter an IdP sends; the answers themselves are checked against
// Postgres in scim-inbound.int.test.ts.

function refusal(filter: string): ScimError {
  try {
    usersWhere(filter);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error(`${filter} was accepted`);
}

describe("SCIM user filters", () => {
  it("compares userName and emails through their normalised keys, externalId exactly", () => {
    expect(usersWhere('userName eq "Ada@Example.com"')).toEqual({ OR: [{ scimUserNameKey: "ada@example.com" }, { scimUserName: null, emailKey: "ada@example.com" }] });
    expect(usersWhere('emails[value eq "A@b.co"]')).toMatchObject({ OR: [{ scimEmail: null, emailKey: "a@b.co" }, {}] });
    expect(usersWhere('externalId eq "00u\\"1"')).toEqual({ scimExternalId: { equals: '00u"1' } });
  });

  it("escapes LIKE wildcards in co, sw and ew", () => {
    expect(usersWhere('displayName co "50%_off"')).toEqual({ name: { contains: "50\\%\\_off", mode: "insensitive" } });
  });

  it("refuses, as invalidFilter, attributes and operators it does not support, naming them", () => {
    const attribute = refusal('nickName eq "x"');
    expect(attribute).toMatchObject({ status: 400, scimType: "invalidFilter" });
    expect(attribute.detail).toMatch(/"nickName" is not supported/);
    expect(refusal('userName gt "a"').detail).toMatch(/"gt" is not supported on userName/);
    expect(refusal("active eq \"yes\"").detail).toMatch(/true or false/);
    expect(refusal("userName eq").detail).toMatch(/not valid SCIM filter syntax/);
    expect(refusal('title co "x" or').scimType).toBe("invalidFilter");
  });
  it("refuses a filter longer than an IdP ever sends before parsing it, without echoing it", () => {
    const nested = `${"(".repeat(5000)}userName eq "a"${")".repeat(5000)}`;
    const error = refusal(nested);
    expect(error).toMatchObject({ status: 400, scimType: "invalidFilter" });
    expect(error.detail).toBe("The filter is 10015 characters long; this endpoint reads filters of up to 1000.");
    // Entra's longest real filter still reads.
    expect(() => usersWhere('userName eq "Test_User_00aa00aa-3b3b-4c4c-5d5d-6e6e6e6e6e6e" and externalId eq "00aa00aa-bb11-cc22"')).not.toThrow();
  });
});
