import type { RouterOutputs } from "@/app/_trpc/client";
import type { StatusTone } from "@/universal/requests/status";

// How a reviewer's items are named on the page: in headings, buttons' accessible names and results.

export type Review = RouterOutputs["reviews"]["items"];
export type Item = Review["items"][number];

/** "GitHub / Developers", or "Access profile / Sales starter kit". */
export const accessOf = (i: Item) => `${i.snapshot.access.app} / ${i.snapshot.access.name}`;

/** "Tom Okafor's GitHub / Developers": what a button acts on. */
export const objectOf = (i: Item) => `${i.snapshot.person.name}'s ${accessOf(i)}`;

/** "Software Engineer, Engineering". */
export const roleOf = (i: Item) => [i.snapshot.person.title, i.snapshot.person.department].filter(Boolean).join(", ");

export const RISK: Record<Item["snapshot"]["access"]["risk"], { label: string; tone: StatusTone }> = {
  LOW: { label: "Low risk", tone: "neutral" },
  MEDIUM: { label: "Medium risk", tone: "waiting" },
  HIGH: { label: "High risk", tone: "bad" },
};

export const REMOVAL_TONE: Record<NonNullable<Item["removal"]>["state"], StatusTone> = { removing: "working", removed: "good", failed: "bad" };

/** Items to decide in one go: undecided ones, while the review is open. */
export const isOpen = (review: Review, i: Item) => review.campaign.status === "ACTIVE" && i.decision === "PENDING";

/** "Kept 4; 1 could not be decided: Tom Okafor's GitHub / Developers (This item has already been decided.)". */
export function resultText(verb: string, result: { decided: number; refused: { itemId: string; reason: string }[] }, items: Item[]): string {
  const done = `${verb} ${result.decided}`;
  if (!result.refused.length) return `${done}.`;
  const named = result.refused.map((r) => {
    const item = items.find((i) => i.id === r.itemId);
    return `${item ? objectOf(item) : "an item"} (${r.reason})`;
  });
  return `${done}; ${result.refused.length} could not be decided: ${named.join("; ")}`;
}
