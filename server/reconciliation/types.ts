import "server-only";

// What a reconciliation reads from a target, whatever the protocol (server/reconciliation/readers.ts
// makes a TargetReader per connector method). Pages stream: a target with 100,000 accounts is never
// held in memory at once.

/** One account on the target. */
export interface TargetAccount {
  /** Its id on the target: the SCIM resource id, or the entry's DN. */
  id: string;
  /** As people read it: the SCIM userName, or the directory's email (else the DN). */
  name: string;
  /** Its email, when the target reports one (SCIM emails[primary] or userName when it is an address; LDAP's email attribute). */
  email: string | null;
  /** SCIM externalId (the portal's AppAccount id when the portal created it); null on directories. */
  externalId: string | null;
  /** SCIM `active`; directories: true. */
  active: boolean;
  /** Flat attributes as the account template names them (title, department, name.givenName, email, ...). */
  attributes: Record<string, string>;
  /** For posixGroup members listed by uid: the entry's uid. */
  uid?: string | null;
  /** When the target last saw the account, ISO 8601, when reported: SCIM meta.lastModified; a directory's last logon, else modifyTimestamp. */
  lastModified?: string | null;
  /** Which attribute lastModified was read from, when it varies by account ("LDAP lastLogonTimestamp"); unset: the protocol's usual one. */
  lastModifiedFrom?: string;
}

/** A group on the target. */
export interface TargetGroup {
  /** SCIM group id, or the group's DN. */
  id: string;
  /** SCIM displayName, or the group's cn. */
  name: string;
}

/** One member of one group: `memberId` is a TargetAccount id (SCIM user id, member DN) or, for posixGroups, a uid. */
export interface TargetMembership {
  groupId: string;
  memberId: string;
}

/**
 * A readable target. Each method pages through the target (retrying a page as provisioning retries a
 * step) and yields one page at a time. `groups` yields every group, `memberships` the members of the
 * groups passed in (all of them when omitted).
 */
export interface TargetReader {
  accounts(): AsyncIterable<TargetAccount[]>;
  groups(): AsyncIterable<TargetGroup[]>;
  memberships(groups: TargetGroup[]): AsyncIterable<TargetMembership[]>;
}

/** Why a target cannot be read: webhooks, tickets and manual steps, or a connector whose settings do not parse. */
export type Readability = { readable: true; reader: TargetReader } | { readable: false; reason: string };
