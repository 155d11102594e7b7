import type { RouterOutputs } from "@/app/_trpc/client";
import type { StatusTone } from "@/universal/requests/status";
import type { FindingKindName, FindingStatusName } from "@/universal/reconciliation/labels";

// The reconciliation page's shapes and words: what each class of difference means, and how a finding's
// status reads for its class ("Being put back" for missing access, "Corrected" for drift).

export type Overview = RouterOutputs["reconciliation"]["overview"];
export type ConnectorState = Overview["connectors"][number];
export type LastRun = NonNullable<ConnectorState["lastRun"]>;
export type Finding = RouterOutputs["reconciliation"]["findings"]["findings"][number];
export type DryRun = RouterOutputs["reconciliation"]["dryRun"];

/** Each class as the page names it, with the sentence that says what it is and what the portal does. */
export const KINDS: Record<FindingKindName, { label: string; tab: string; explain: string }> = {
  MISSING: {
    label: "Missing",
    tab: "Missing",
    explain: "Granted in the portal but gone from the target: put back automatically.",
  },
  UNMANAGED: {
    label: "Unmanaged",
    tab: "Unmanaged",
    explain: "On the target with no grant: adopt it, ignore it, or remove it.",
  },
  ORPHAN: {
    label: "Orphan accounts",
    tab: "Orphans",
    explain: "Accounts of people who left or whom the portal does not know.",
  },
  DRIFT: {
    label: "Attribute drift",
    tab: "Drift",
    explain: "Accounts whose title, department… differ from the portal's: corrected.",
  },
};

const TONES: Record<FindingStatusName, StatusTone> = {
  OPEN: "waiting",
  REPAIRING: "working",
  REPAIRED: "good",
  ADOPTED: "good",
  REVOKING: "working",
  REVOKED: "neutral",
  IGNORED: "neutral",
  RESOLVED: "neutral",
};

/** Repairs read in the words of what is repaired: missing access is put back, drift is corrected. */
const REPAIR_WORDS: Partial<Record<FindingKindName, Partial<Record<FindingStatusName, string>>>> = {
  MISSING: { OPEN: "Missing", REPAIRING: "Being put back", REPAIRED: "Put back" },
  DRIFT: { OPEN: "Drifted", REPAIRING: "Being corrected", REPAIRED: "Corrected" },
};

export function findingStatus(f: Pick<Finding, "kind" | "status" | "statusLabel">): { label: string; tone: StatusTone } {
  return { label: REPAIR_WORDS[f.kind]?.[f.status] ?? f.statusLabel, tone: TONES[f.status] };
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A run's length in seconds, once it has finished. */
export const runSeconds = (run: LastRun) => (run.finishedAt ? Math.max(0, Math.round((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000)) : null);
