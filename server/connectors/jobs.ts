// What the outage probe (inngest/functions/probe-connector.ts) and the plan runner call, bound to the app's pool.
import "server-only";
import * as health from "@/server/connectors/health";
import * as healthAdmin from "@/server/connectors/health-admin";
import * as probe from "@/server/connectors/probe";
import { withAppDb } from "@/server/db";

export const probeOnce = withAppDb(probe.probeOnce);
export const mailOwnerAboutOutage = withAppDb(healthAdmin.mailOwnerAboutOutage);

// The plan runner's outage handling (inngest/plan-runner.ts).
export const parkGrant = withAppDb(health.parkGrant);
export const waitState = withAppDb(health.waitState);
