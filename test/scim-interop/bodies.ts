// Request bodies Okta and Microsoft Entra ID document sending to a SCIM 2.0 service provider, copied as
// published (their placeholder ids included; tests swap those for real ids with `withIds`).

/** okta/okta-developer-docs packages/@okta/vuepress-site/docs/reference/scim/scim-20/index.md ("SCIM 2.0 Protocol Reference") */
export const OKTA_REFERENCE = "okta/okta-developer-docs docs/reference/scim/scim-20/index.md";
/** MicrosoftDocs/entra-docs docs/identity/app-provisioning/use-scim-to-provision-users-and-groups.md ("SCIM protocol requests and responses") */
export const ENTRA_TUTORIAL = "MicrosoftDocs/entra-docs docs/identity/app-provisioning/use-scim-to-provision-users-and-groups.md";
/** MicrosoftDocs/entra-docs docs/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility.md */
export const ENTRA_COMPATIBILITY = "MicrosoftDocs/entra-docs docs/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility.md";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export const okta = {
  /** "Determine if the User already exists": the request line as published. */
  findUserPath: "/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100",
  /** "Retrieve Users". */
  listUsersPath: "/Users?startIndex=1&count=100",
  /** "Create the User". */
  createUser: {
    schemas: [USER],
    userName: "test.user@okta.local",
    name: { givenName: "Test", familyName: "User" },
    emails: [{ primary: true, value: "test.user@okta.local", type: "work" }],
    displayName: "Test User",
    locale: "en-US",
    externalId: "00ujl29u0le5T6Aj10h7",
    groups: [],
    password: "1mz050nq",
    active: true,
  },
  /** "Update the User" (PUT), for the user with id 23a35c27-23d3-4c03-b4c5-6443c09e7173. */
  replaceUser: {
    schemas: [USER],
    id: "23a35c27-23d3-4c03-b4c5-6443c09e7173",
    userName: "test.user@okta.local",
    name: { givenName: "Another", middleName: "Excited", familyName: "User" },
    emails: [{ primary: true, value: "test.user@okta.local", type: "work", display: "test.user@okta.local" }],
    active: true,
    groups: [],
    meta: { resourceType: "User" },
  },
  /** "Update a specific User (PATCH)": deactivation. */
  deactivateUser: { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] },
  /** "Create Groups". */
  createGroup: { schemas: [GROUP], displayName: "Test SCIMv2", members: [] },
  /** "Retrieve Groups". */
  listGroupsPath: "/Groups?startIndex=1&count=100",
  /** "Update a specific Group name", for group abf4dd94-a4c0-4f67-89c9-76b03340cb9b. */
  renameGroup: { schemas: [PATCH], Operations: [{ op: "replace", value: { id: "abf4dd94-a4c0-4f67-89c9-76b03340cb9b", displayName: "Test SCIMv2" } }] },
  /** "Update specific Group membership": remove one member, add another. */
  changeMembers: {
    schemas: [PATCH],
    Operations: [
      { op: "remove", path: 'members[value eq "89bb1940-b905-4575-9e7f-6f887cfb368e"]' },
      { op: "add", path: "members", value: [{ value: "23a35c27-23d3-4c03-b4c5-6443c09e7173", display: "test.user@okta.local" }] },
    ],
  },
  /** "Update specific Group membership": the full push with replace. */
  replaceMembers: {
    schemas: [PATCH],
    Operations: [
      {
        op: "replace",
        path: "members",
        value: [
          { value: "23a35c27-23d3-4c03-b4c5-6443c09e7173", display: "test.user@okta.local" },
          { value: "89bb1940-b905-4575-9e7f-6f887cfb368e", display: "test.user@okta.local" },
        ],
      },
    ],
  },
};

export const entra = {
  /** Tutorial, "Create User". */
  createUser: {
    schemas: [USER, ENTERPRISE],
    externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    userName: "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee",
    active: true,
    emails: [{ primary: true, type: "work", value: "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com" }],
    meta: { resourceType: "User" },
    name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
    roles: [],
  },
  /** Tutorial, "Get User by query". */
  findUserFilter: 'userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"',
  /** Tutorial, "Get User by query - Zero results". */
  findNobodyFilter: 'userName eq "non-existent user"',
  /** Tutorial, "/Users": uniqueness on the work email must be queryable as published. */
  findByWorkEmailFilter: 'emails[type eq "work"].value eq "Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"',
  /** Tutorial, "Query users or groups": users are queried with userName and externalId, with eq and and. */
  findByUserNameAndExternalIdFilter: 'userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee" and externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"',
  /** Tutorial, "Update User [Multi-valued properties]". */
  patchMultiValued: {
    schemas: [PATCH],
    Operations: [
      { op: "Replace", path: 'emails[type eq "work"].value', value: "updatedEmail@microsoft.com" },
      { op: "Replace", path: "name.familyName", value: "updatedFamilyName" },
    ],
  },
  /** Tutorial, "Update User [Single-valued properties]". */
  patchUserName: { schemas: [PATCH], Operations: [{ op: "Replace", path: "userName", value: "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com" }] },
  /** Tutorial, "Disable User". */
  disableUser: { Operations: [{ op: "Replace", path: "active", value: false }], schemas: [PATCH] },
  /**
   * The manager as the tutorial maps it: Entra's manager → `urn:…:enterprise:2.0:User:manager`, its value the
   * manager's id ("manager": "123456" in the tutorial's example resource). Sent with op "Add", one of the ops the
   * tutorial says Entra ID emits (Add, Replace, Remove).
   */
  patchManager: { schemas: [PATCH], Operations: [{ op: "Add", path: `${ENTERPRISE}:manager`, value: "123456" }] },
  /** Compatibility article, "Requests made to disable users", without the feature flag (legacy). */
  disableUserLegacy: { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] },
  /** Compatibility article, "Requests to replace multiple attributes", without the feature flag. */
  replaceManyLegacy: {
    schemas: [PATCH],
    Operations: [
      { op: "Replace", path: "displayName", value: "Pvlo" },
      { op: "Replace", path: 'emails[type eq "work"].value', value: "TestBcwqnm@test.microsoft.com" },
      { op: "Replace", path: "name.givenName", value: "Gtfd" },
      { op: "Replace", path: "name.familyName", value: "Pkqf" },
      { op: "Replace", path: "externalId", value: "Eqpj" },
      { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "Eqpj" },
    ],
  },
  /** Compatibility article, "Requests to replace multiple attributes", with the feature flag (path-less value). */
  replaceManyCompliant: {
    schemas: [PATCH],
    Operations: [
      { op: "replace", path: 'emails[type eq "work"].value', value: "TestMhvaes@test.microsoft.com" },
      { op: "replace", value: { displayName: "Bjfe", "name.givenName": "Kkom", "name.familyName": "Unua", [`${ENTERPRISE}:employeeNumber`]: "Aklq" } },
    ],
  },
  /** Tutorial, "Create Group". */
  createGroup: {
    schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
    externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
    displayName: "displayName",
    meta: { resourceType: "Group" },
  },
  /** Tutorial, "Get Group" and "Get Group by displayName". */
  getGroupQuery: "?excludedAttributes=members",
  findGroupQuery: '?excludedAttributes=members&filter=displayName eq "displayName"',
  /** Tutorial, "Update Group [Non-member attributes]". */
  renameGroup: { schemas: [PATCH], Operations: [{ op: "Replace", path: "displayName", value: "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName" }] },
  /** Tutorial, "Update Group [Add Members]". */
  addMember: { schemas: [PATCH], Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: "f648f8d5ea4e4cd38e9c" }] }] },
  /** Tutorial, "Update Group [Remove Members]" (also the compatibility article's legacy form). */
  removeMember: { schemas: [PATCH], Operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: "f648f8d5ea4e4cd38e9c" }] }] },
  /** Compatibility article, "Requests made to remove a group member", with the feature flag. */
  removeMemberCompliant: { schemas: [PATCH], Operations: [{ op: "remove", path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }] },
};

/** The body with the documents' placeholder ids (anywhere, also inside filter strings) replaced by real ones. */
export function withIds<T>(body: T, ids: Record<string, string>): T {
  let text = JSON.stringify(body);
  for (const [placeholder, id] of Object.entries(ids)) text = text.split(placeholder).join(id);
  return JSON.parse(text) as T;
}
