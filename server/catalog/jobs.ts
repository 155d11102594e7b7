// What the entitlement import functions (inngest/functions/import-entitlements.ts) call, bound to the app's pool.
import "server-only";
import * as imports from "@/server/catalog/import-entitlements";
import { withAppDb } from "@/server/db";

export const importEntitlements = withAppDb(imports.importEntitlements);
export const scheduledImportConnectors = withAppDb(imports.scheduledImportConnectors);
