"use client";
import { useState } from "react";
import { ErrorNote, Section } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { ExactDate } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import type { AdminApp } from "@/app/admin/apps/[slug]/app-config";
import { ConnectorForm, importsGroups, type Connector } from "@/app/admin/apps/[slug]/connector-form";
import { TestConnectionButton, TestConnectionResult } from "@/app/admin/apps/[slug]/test-connection";
import { METHOD_LABELS } from "@/universal/provisioning/plan";

export function Connectors({ app }: { app: AdminApp }) {
  const [editing, setEditing] = useState<string | "new" | null>(null);
  return (
    <Section
      title="Connectors"
      testId="connectors"
      action={editing !== "new" && <Button variant="secondary" onClick={() => setEditing("new")}>Add connector</Button>}
    >
      {app.connectors.length === 0 && editing !== "new" && <p className="text-sm text-slate-500">No connectors: every step is done by hand.</p>}
      <ul className="space-y-3">
        {editing === "new" && (
          <li className="rounded-lg border border-indigo-200 p-3">
            <ConnectorForm app={app} onClose={() => setEditing(null)} />
          </li>
        )}
        {app.connectors.map((c) => (
          <li key={c.id} className="rounded-lg border border-slate-200 p-3" data-testid="connector">
            {editing === c.id ? (
              <ConnectorForm app={app} connector={c} onClose={() => setEditing(null)} />
            ) : (
              <ConnectorSummary app={app} connector={c} onEdit={() => setEditing(c.id)} />
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}

function ConnectorSummary({ app, connector: c, onEdit }: { app: AdminApp; connector: Connector; onEdit: () => void }) {
  const importNow = trpc.admin.importEntitlements.useMutation();
  const test = trpc.admin.testConnector.useMutation();
  const where = c.config.baseUrl ?? c.config.url ?? c.config.instanceUrl;
  return (
    <div>
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1 basis-64">
          <p className="break-words font-medium">{c.name} <span className="ml-1 text-xs font-normal text-slate-500">{METHOD_LABELS[c.method]}</span></p>
          <p className="break-words text-xs text-slate-500">
            {typeof where === "string" && <span className="break-all">{where} · </span>}
            {c.maxAttempts} tries, backoff from {c.backoffMs} ms
            {c.retryableStatuses.length > 0 && <> · also retries {c.retryableStatuses.join(", ")}</>}
            {importsGroups(c.method) && <> · {c.importGroups ? "imports groups hourly" : "no scheduled import"}{c.lastImportAt && <>, last <ExactDate date={c.lastImportAt} withTime /></>}</>}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {importsGroups(c.method) && (
            <Button variant="secondary" isDisabled={importNow.isPending} onClick={() => importNow.mutate({ connectorId: c.id })} aria-label={`Import groups now from ${c.name}`}>
              Import groups now
            </Button>
          )}
          <TestConnectionButton name={c.name} test={test} onPress={() => test.mutate({ appId: app.id, connectorId: c.id, method: c.method as Exclude<Connector["method"], "MANUAL"> })} />
          <Button variant="secondary" onClick={onEdit} aria-label={`Edit connector ${c.name}`}>Edit connector</Button>
        </div>
      </div>
      {!test.isIdle && <TestConnectionResult test={test} />}
      {c.method === "WEBHOOK" && <RotateSecret connector={c} />}
      {importNow.isSuccess && <p className="mt-2 text-sm text-emerald-700" role="status">Import started. New groups appear below as entitlements that are not requestable yet.</p>}
      <ErrorNote message={importNow.error?.message} />
    </div>
  );
}

/** Standard Webhooks rotation: the old secret keeps signing next to the new one for the overlap. */
function RotateSecret({ connector: c }: { connector: Connector }) {
  const utils = trpc.useUtils();
  const [hours, setHours] = useState("24");
  const [openedAt] = useState(() => Date.now());
  const rotate = trpc.admin.rotateWebhookSecret.useMutation({ onSuccess: () => utils.admin.app.invalidate() });
  const raw: unknown = rotate.data ? rotate.data.previousSecretSignsUntil : c.config.previousSecretExpiresAt;
  const until = raw instanceof Date ? raw : typeof raw === "string" ? new Date(raw) : null;
  return (
    <div className="mt-2 space-y-2 text-sm">
      <div className="flex flex-wrap items-end gap-2">
        <TextField label="Old secret keeps signing for (hours)" type="number" inputMode="numeric" value={hours} onChange={setHours} className="w-full sm:w-auto" />
        <Button
          variant="secondary"
          isDisabled={rotate.isPending}
          onClick={() => rotate.mutate({ connectorId: c.id, overlapHours: Number(hours) })}
          aria-label={`Rotate secret of ${c.name}`}
        >
          Rotate secret
        </Button>
      </div>
      {until && until.getTime() > openedAt && (
        <p className="text-xs text-slate-500">Deliveries carry both signatures until <ExactDate date={until} withTime />; after that only the new secret signs.</p>
      )}
      {rotate.data && (
        <p className="rounded-md bg-emerald-50 p-2 text-emerald-900" role="status">
          New secret (shown once): <code className="break-all" data-testid="new-webhook-secret">{rotate.data.secret}</code>. Give it to the receiver
          {rotate.data.previousSecretSignsUntil ? " before the old one stops signing." : "; the old one no longer signs."}
        </p>
      )}
      <ErrorNote message={rotate.error?.message} />
    </div>
  );
}
