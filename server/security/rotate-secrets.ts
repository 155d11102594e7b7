import "server-only";
import { recordAudit } from "@/server/audit/record";
import { isConnectorMethod, openConnectorConfig, sealConnectorConfig, sealedKeyId } from "@/server/connectors/config";
import type { Db } from "@/server/db";
import { keyring, type Keyring } from "@/server/security/secrets";

// `npm run secrets:rotate`: every connector's secrets opened (with whichever key sealed them, or read
// in plain text from rows saved before they were sealed) and sealed again under the current key, with a
// fresh data key. Afterwards no row needs an earlier key.

export type ResealReport = {
  resealed: number;
  /** Rows that held their secrets in plain text until now. */
  wasPlain: number;
  /** Rows that could not be opened (their key is missing): left as they were. */
  failed: { id: string; name: string; problem: string }[];
  /** The ids of the keys the rows are sealed with now. */
  keysInUse: Set<string>;
};

export async function resealConnectorSecrets(db: Db, ring: Keyring = keyring()): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, wasPlain: 0, failed: [], keysInUse: new Set() };
  const connectors = await db.connector.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
  for (const { id } of connectors) {
    // One row at a time, locked, so an admin saving the connector meanwhile is not overwritten.
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Connector" WHERE id = ${id} FOR UPDATE`;
      const connector = await tx.connector.findUnique({ where: { id }, select: { id: true, name: true, method: true, config: true } });
      if (!connector || !isConnectorMethod(connector.method)) return;
      let opened: ReturnType<typeof openConnectorConfig>;
      try {
        opened = openConnectorConfig(connector.method, connector.config, ring);
      } catch (e) {
        report.failed.push({ id, name: connector.name, problem: (e as Error).message });
        return;
      }
      const sealed = sealConnectorConfig(connector.method, opened.config, ring);
      await tx.connector.update({ where: { id }, data: { config: sealed } });
      await recordAudit(tx, {
        actorId: null,
        action: "connector.secrets_resealed",
        objectType: "connector",
        objectId: id,
        before: { keyId: opened.keyId ?? "plain text" },
        after: { keyId: ring.current.id },
      });
      report.resealed += 1;
      if (!opened.sealed && sealedKeyId(sealed)) report.wasPlain += 1;
    });
  }
  for (const c of await db.connector.findMany({ select: { config: true } })) {
    const kid = sealedKeyId(c.config);
    if (kid) report.keysInUse.add(kid);
  }
  return report;
}
