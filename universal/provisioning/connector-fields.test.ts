import { describe, expect, it } from "vitest";
import { formFromSettings, settingsFromForm, settingsHints } from "./connector-fields";

describe("connector settings form", () => {
  it("shows each saved setting in its field and starts every secret empty", () => {
    const values = formFromSettings("WEBHOOK", { url: "https://hooks.example.com/a", timeoutMs: 5000, retryableStatuses: [409, 423], previousSecretExpiresAt: "2026-12-06T00:00:00Z" });
    expect(values).toEqual({ url: "https://hooks.example.com/a", secret: "", timeoutMs: "5000", retryableStatuses: "409, 423" });
  });

  it("sends what the admin typed back as the settings the server checks, numbers as numbers", () => {
    const values = formFromSettings("SERVICENOW", { instanceUrl: "https://acme.service-now.com", username: "portal", table: "incident", timeoutMs: 8000 });
    expect(settingsFromForm("SERVICENOW", { ...values, password: "s3cret", assignmentGroup: "  Service Desk " })).toEqual({
      instanceUrl: "https://acme.service-now.com",
      username: "portal",
      password: "s3cret",
      table: "incident",
      assignmentGroup: "Service Desk",
      timeoutMs: 8000,
    });
  });

  it("sends an untouched secret empty, which keeps the stored one, and leaves empty optional settings to their defaults", () => {
    const values = formFromSettings("SCIM", { baseUrl: "https://api.example.com/scim/v2" });
    expect(settingsFromForm("SCIM", values)).toEqual({ baseUrl: "https://api.example.com/scim/v2", token: "" });
  });

  it("offers the first ticket type when none is saved", () => {
    expect(formFromSettings("SERVICENOW", {}).table).toBe("sc_task");
  });

  it("hints at a missing secret only when none is stored", () => {
    const values = formFromSettings("SCIM", { baseUrl: "https://api.example.com/scim/v2" });
    expect(settingsHints("SCIM", values, [])).toEqual({ "config.token": ["Enter the bearer token."] });
    expect(settingsHints("SCIM", values, ["token"])).toEqual({});
  });

  it("hints at an address with the wrong scheme, a timeout out of range and a status that is not an error", () => {
    const hints = settingsHints("WEBHOOK", { url: "ftp://hooks.example.com", secret: "", timeoutMs: "5", retryableStatuses: "409, 200" }, ["secret"]);
    expect(hints).toEqual({
      "config.url": ["Start the address with http:// or https://"],
      "config.timeoutMs": ["Enter 100 to 120000 ms."],
      "config.retryableStatuses": ["List HTTP statuses from 400 to 599, separated by commas."],
    });
    expect(settingsHints("LDAP_GROUP", { ...formFromSettings("LDAP_GROUP", {}), url: "https://dir.example.com" }, [])["config.url"]).toEqual(["Start the address with ldap:// or ldaps://"]);
  });
});
