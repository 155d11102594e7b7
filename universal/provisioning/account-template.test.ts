import { describe, expect, it } from "vitest";
import { accountTemplateSchema, buildAccount, personAttributes } from "./account-template";
import { effectivePlan, planSchema } from "./plan";

const ada = personAttributes({
  email: "ada@example.com",
  name: "Ada King Lovelace",
  title: "Analyst",
  department: { name: "Sales" },
  manager: { email: "charles@example.com" },
});

describe("the create-account template", () => {
  it("fills the default attributes from the person, leaving out empty ones", () => {
    const account = buildAccount({}, { ...ada, title: null });
    expect(account).toEqual({
      userName: "ada@example.com",
      attributes: { displayName: "Ada King Lovelace", "name.givenName": "Ada", "name.familyName": "King Lovelace", email: "ada@example.com", department: "Sales" },
      groups: [],
    });
  });

  it("applies rules whose condition matches (case-insensitively), setting values and adding groups", () => {
    const template = {
      userName: "{{firstName}}.{{lastName}}",
      attributes: { title: "{{title}} ({{department}})" },
      rules: [
        { when: { attribute: "department", equals: "sales" }, group: "Sales and Marketing", set: { attribute: "costCenter", value: "CC-200" } },
        { when: { attribute: "department", equals: "Finance" }, group: "Finance" },
      ],
    };
    expect(buildAccount(template, ada)).toEqual({
      userName: "Ada.King Lovelace",
      attributes: { title: "Analyst (Sales)", costCenter: "CC-200" },
      groups: ["Sales and Marketing"],
    });
  });

  it("explains what is wrong with a template an admin typed", () => {
    const result = accountTemplateSchema.safeParse({ userName: "{{mail}}", rules: [{ when: { attribute: "department", equals: "Sales" } }] });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message);
    expect(messages).toContain("Unknown placeholder {{mail}}; use one of email, name, firstName, lastName, title, department, managerEmail.");
    expect(messages).toContain("A rule must set an attribute or add a group.");
  });
});

describe("provisioning plans", () => {
  it("uses the entitlement's plan over the app's, and a manual task when there is none", () => {
    const app = [{ method: "SCIM", connectorId: "c1" }];
    expect(effectivePlan(null, app)).toEqual(app);
    expect(effectivePlan([{ method: "MANUAL" }], app)).toEqual([{ method: "MANUAL" }]);
    expect(effectivePlan(null, [])).toEqual([{ method: "MANUAL" }]);
    // A stored plan that no longer makes sense is never skipped: a person does it.
    expect(effectivePlan(null, [{ method: "SCIM" }])).toEqual([{ method: "MANUAL" }]);
  });

  it("gives ticket steps a default template and refuses unknown placeholders", () => {
    const [step] = planSchema.parse([{ method: "JIRA", connectorId: "j" }]);
    expect(step).toMatchObject({ ticket: { summary: "{{action}}: {{entitlement.name}} in {{app.name}} for {{person.name}}" } });
    const bad = planSchema.safeParse([{ method: "JIRA", connectorId: "j", ticket: { summary: "{{user}}", description: "x" } }]);
    expect(bad.error?.issues[0]?.message).toMatch(/Unknown placeholder \{\{user\}\}/);
  });
});
