import "server-only";

// Why a person holds a grant, in a sentence they understand: their own request, a request someone
// made for them, an access profile (and the rule or person that enrolled them), access the app's owner
// adopted from the target (reconciliation), or an admin.

type Person = { id: string; name: string | null; email: string };
const who = (p: Person) => p.name ?? p.email;

/** The rule that enrolled someone in a profile, as stored: attributes JSON and the entitlements it matches. */
export type RuleFacts = { name: string; attributes: unknown; entitlements: { entitlement: { name: string; app: { name: string } } }[] };

/** How a person came to be enrolled in a profile: a rule, an admin (by hand), or their own request. */
export type JoinFacts = { rule: RuleFacts | null; enrolledBy: Person | null };

export type GrantFacts = {
  viewer: { id: string; managerId: string | null };
  entitlement: { profileRole: "ENROLLMENT" | "EXCLUDED" | null; profileName: string | null };
  request: { id: string; policyName: string; requestedBy: Person | null; approvers: Person[] } | null;
  /** The profile this grant came with (an item), and how the person joined it. */
  itemOf: ({ profileName: string } & JoinFacts) | null;
  /** For the profile's own enrollment entitlement: how the person joined it. */
  membership: JoinFacts | null;
  /** Access found on the target without a grant and adopted by the app's owner, with their justification. */
  adopted?: { appName: string; by: Person | null; note: string | null } | null;
};

export type SourceKind = "request" | "on-behalf" | "profile-item" | "profile-membership" | "profile-exclusion" | "adopted" | "direct";

const list = (words: string[]) => (words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`);
const either = (words: string[]) => (words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`);

const ATTRIBUTE_WORDS: Record<string, string> = { department: "department", title: "job title", location: "location" };

/** "your department is Sales and you hold GitHub / Developers": what made the rule match. */
export function ruleMatch(rule: RuleFacts): string {
  const attributes = rule.attributes && typeof rule.attributes === "object" ? (rule.attributes as Record<string, unknown>) : {};
  const parts = Object.entries(attributes)
    .filter((entry): entry is [string, string[]] => Array.isArray(entry[1]) && entry[1].length > 0)
    .map(([key, values]) => `your ${ATTRIBUTE_WORDS[key] ?? key} is ${either(values)}`);
  const held = rule.entitlements.map((e) => `${e.entitlement.app.name} / ${e.entitlement.name}`);
  if (held.length) parts.push(`you hold ${either(held)}`);
  return list(parts);
}

function joined(join: JoinFacts): string {
  if (join.rule) {
    const match = ruleMatch(join.rule);
    return `the rule “${join.rule.name}” enrolled you${match ? ` because ${match}` : ""}`;
  }
  if (join.enrolledBy) return `${who(join.enrolledBy)} enrolled you`;
  return "you asked to join it";
}

function approval(request: NonNullable<GrantFacts["request"]>): string {
  if (request.approvers.length) return `approved by ${list([...new Set(request.approvers.map(who))])}`;
  return request.policyName ? `approved automatically under the “${request.policyName}” policy` : "approved automatically";
}

/** The grant's source: its kind, and the sentence that explains it. */
export function describeSource(g: GrantFacts): { kind: SourceKind; text: string } {
  const profile = g.entitlement.profileName;
  if (g.entitlement.profileRole === "EXCLUDED") {
    return { kind: "profile-exclusion", text: `An admin excluded you from the rules of the “${profile}” access profile, so they do not enroll you.` };
  }
  if (g.entitlement.profileRole === "ENROLLMENT" && g.membership) {
    return { kind: "profile-membership", text: `You are a member of the “${profile}” access profile: ${joined(g.membership)}.` };
  }
  if (g.itemOf) {
    return { kind: "profile-item", text: `Comes with the “${g.itemOf.profileName}” access profile: ${joined(g.itemOf)}.` };
  }
  const request = g.request;
  if (!request && g.adopted) {
    const { appName, by, note } = g.adopted;
    // No adopter: an access review took it over when it started, and its note says so.
    if (!by) return { kind: "adopted", text: note ? `${note}.` : `Found on ${appName} without a grant and taken over by the portal.` };
    return { kind: "adopted", text: `Adopted from ${appName} by ${who(by)}${note ? `: ${note}` : "."}` };
  }
  if (!request) return { kind: "direct", text: "Given to you directly by an admin, not through a request." };
  if (request.requestedBy && request.requestedBy.id !== g.viewer.id) {
    const asker = request.requestedBy.id === g.viewer.managerId ? `Your manager, ${who(request.requestedBy)},` : who(request.requestedBy);
    return { kind: "on-behalf", text: `${asker} asked for it for you; ${approval(request)}.` };
  }
  return { kind: "request", text: `You asked for it; ${approval(request)}.` };
}
