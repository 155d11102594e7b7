import { describe, expect, it } from "vitest";
import { accountTemplateSchema } from "@/universal/provisioning/account-template";
import { draftFromTemplate, templateFromDraft, unusedAttribute, type TemplateDraft } from "./account-template-draft";

const defaults = accountTemplateSchema.parse({});

describe("the account template form's draft", () => {
  it("gives back the template it was made from", () => {
    const stored = accountTemplateSchema.parse({
      userName: "{{email}}",
      attributes: { displayName: "{{name}}", costCenter: "CC-{{department}}" },
      rules: [
        { when: { attribute: "department", equals: "Sales" }, group: "Sales and Marketing" },
        { when: { attribute: "title", equals: "Contractor" }, set: { attribute: "organization", value: "External" } },
      ],
    });
    expect(templateFromDraft(draftFromTemplate(stored))).toEqual({ template: stored });
  });

  it("places each problem next to its row: an unknown placeholder, a rule with nothing to match or do", () => {
    const draft: TemplateDraft = {
      ...draftFromTemplate(defaults),
      userName: "{{mail}}",
      rules: [
        { when: "department", equals: "Sales", setAttribute: "", setValue: "", group: "sales" },
        { when: "department", equals: " ", setAttribute: "", setValue: "", group: "x" },
        { when: "title", equals: "Intern", setAttribute: "", setValue: "", group: "  " },
      ],
    };
    draft.attributes[1] = { attribute: "name.givenName", value: "{{first}}" };
    const result = templateFromDraft(draft);
    expect(result).toEqual({
      problems: {
        userName: expect.stringContaining("Unknown placeholder {{mail}}"),
        attributes: { 1: expect.stringContaining("Unknown placeholder {{first}}") },
        rules: { 1: "The value to match is missing.", 2: "A rule must set an attribute or add a group." },
      },
    });
  });

  it("refuses an attribute set twice instead of keeping only the last", () => {
    const draft = draftFromTemplate(defaults);
    draft.attributes.push({ attribute: "email", value: "{{managerEmail}}" });
    const result = templateFromDraft(draft);
    expect("problems" in result && result.problems.attributes).toEqual({ [draft.attributes.length - 1]: "Email is already set above." });
  });

  it("lists attributes in the same order however the database stored the keys", () => {
    const stored = accountTemplateSchema.parse({ attributes: { email: "{{email}}", title: "{{title}}", displayName: "{{name}}" } });
    expect(draftFromTemplate(stored).attributes.map((r) => r.attribute)).toEqual(["displayName", "email", "title"]);
  });

  it("offers, for a new row, an attribute no row sets yet", () => {
    const draft = draftFromTemplate(defaults);
    expect(unusedAttribute(draft.attributes)).toBe("division");
  });
});
