"use client";
import { Button } from "@/app/_components/ui/button";
import type { trpc } from "@/app/_trpc/client";

export type ConnectionTest = ReturnType<typeof trpc.admin.testConnector.useMutation>;

/** "Test connection to <name>" and what happened, in one sentence. */
export function TestConnectionButton({ name, test, onPress }: { name: string; test: ConnectionTest; onPress: () => void }) {
  return (
    <Button variant="secondary" isDisabled={test.isPending} onClick={onPress} aria-label={`Test connection to ${name}`}>
      {test.isPending ? "Testing…" : "Test connection"}
    </Button>
  );
}

export function TestConnectionResult({ test }: { test: ConnectionTest }) {
  if (test.isPending) return <p className="mt-2 text-sm text-slate-600" role="status">Testing the connection…</p>;
  if (test.error) {
    // Nothing was tried: the settings were refused first (in the form, each is also shown beside its field).
    const problems = Object.values(test.error.data?.fieldErrors ?? {}).flatMap((m) => m ?? []);
    const message = problems.length > 0 ? `Not tested: fix the settings first. ${problems.join(" ")}` : test.error.message;
    return <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert" data-testid="connection-test">{message}</p>;
  }
  if (!test.data) return null;
  const tone = test.data.connected ? "bg-emerald-50 text-emerald-900" : "bg-rose-50 text-rose-800";
  return (
    <p className={`mt-2 break-words rounded-md p-2 text-sm ${tone}`} role="status" data-testid="connection-test">
      {test.data.message}
    </p>
  );
}
