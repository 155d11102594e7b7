import { days, type Objects, type Outcome, type Role } from "./authorization-objects";

// The authorization matrix's rows for access reviews: the reviewer (Maya) decides her item; admins run
// campaigns and may hand items on.
export const reviewRows: Record<string, { input: (o: Objects) => unknown; expect: Record<Role, Outcome> }> = {
  "reviews.mine": {
    input: () => undefined,
    expect: { anonymous: "UNAUTHORIZED", requester: "ok", colleague: "ok", provisioner: "ok", manager: "ok", otherManager: "ok", appOwner: "ok", admin: "ok" },
  },
  "reviews.items": {
    input: (o) => ({ campaignId: o.campaignId }),
    expect: { anonymous: "UNAUTHORIZED", requester: "NOT_FOUND", colleague: "NOT_FOUND", provisioner: "NOT_FOUND", manager: "ok", otherManager: "NOT_FOUND", appOwner: "NOT_FOUND", admin: "ok" },
  },
  "reviews.decide": {
    input: (o) => ({ itemIds: [o.reviewItemId], decision: "KEEP" }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "FORBIDDEN" },
  },
  "reviews.reassign": {
    input: (o) => ({ itemIds: [o.reviewItemId], toUserId: o.bystanderId, reason: "Yuki leads the team now." }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "ok", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "reviews.campaigns": { input: () => undefined, expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" } },
  "reviews.campaign": { input: (o) => ({ campaignId: o.campaignId }), expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" } },
  "reviews.evidence": { input: (o) => ({ campaignId: o.campaignId }), expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" } },
  "reviews.preview": {
    input: (o) => ({ name: "Yuki's access", scope: { personIds: [o.bystanderId] }, reviewerRule: { type: "MANAGER" } }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "reviews.create": {
    input: (o) => ({ name: `Cell ${o.cell} review`, scope: { personIds: [o.bystanderId] }, reviewerRule: { type: "MANAGER" } }),
    expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" },
  },
  "reviews.close": { input: (o) => ({ campaignId: o.campaignId }), expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" } },
  "reviews.extend": { input: (o) => ({ campaignId: o.campaignId, dueAt: days(30) }), expect: { anonymous: "UNAUTHORIZED", requester: "FORBIDDEN", colleague: "FORBIDDEN", provisioner: "FORBIDDEN", manager: "FORBIDDEN", otherManager: "FORBIDDEN", appOwner: "FORBIDDEN", admin: "ok" } },
};
