// What the functions that mail requesters (inngest/functions) call, bound to the app's pool.
import "server-only";
import { withAppDb } from "@/server/db";
import * as notify from "@/server/requests/notify-requester";

export const notifyRequester = withAppDb(notify.notifyRequester);
