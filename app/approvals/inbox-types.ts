import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** A pending approval in the inbox, as approvals.inbox returns it. */
export type InboxItem = inferRouterOutputs<AppRouter>["approvals"]["inbox"]["pending"][number];
export type DecidedItem = inferRouterOutputs<AppRouter>["approvals"]["inbox"]["decided"][number];

export const requesterName = (item: InboxItem | DecidedItem) => item.request.requester.name ?? item.request.requester.email;
export const accessName = (item: InboxItem | DecidedItem) => `${item.request.entitlement.app.name} / ${item.request.entitlement.name}`;
/** "Erin Walsh's request for GitHub / Developers": how buttons and checkboxes name an item. */
export const itemName = (item: InboxItem) => `${requesterName(item)}'s request for ${accessName(item)}`;
