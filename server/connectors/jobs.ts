// What the outage probe (inngest/functions/probe-connector.ts) calls, bound to the app's pool.
import "server-only";
import * as healthAdmin from "@/server/connectors/health-admin";
import * as probe from "@/server/connectors/probe";
import { withAppDb } from "@/server/db";

export const probeOnce = withAppDb(probe.probeOnce);
export const mailOwnerAboutOutage = withAppDb(healthAdmin.mailOwnerAboutOutage);
