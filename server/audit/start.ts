import "server-only";
import { startAuditSealer } from "@/server/audit/sealer-loop";
import { appDatabaseUrl, db } from "@/server/db";

/** Start this app process's audit sealer; every app process may run one (they take turns on a lock). */
export function startAppAuditSealer() {
  return startAuditSealer({ db: db(), connectionString: appDatabaseUrl() });
}
