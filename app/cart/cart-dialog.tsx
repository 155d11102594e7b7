"use client";
import Link from "next/link";
import { useState } from "react";
import { PersonSearch, personName, type Person } from "@/app/_components/person-search";
import { ExactDate } from "@/app/_components/when";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { buttonVariants } from "@/app/_components/ui/classes";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";
import { useCart, type CartItem } from "@/app/cart/cart-store";
import { LengthField, useLength } from "@/app/cart/length-field";
import type { StatusTone } from "@/universal/requests/status";

type PreviewItem = RouterOutputs["requests"]["previewCart"]["items"][number];
type Results = RouterOutputs["requests"]["submitCart"];

const OUTCOME: Record<PreviewItem["outcome"]["status"], { label: string; tone: StatusTone }> = {
  AUTO: { label: "Auto-approved", tone: "good" },
  APPROVAL: { label: "Needs approval", tone: "waiting" },
  BLOCKED: { label: "Blocked", tone: "bad" },
  HELD: { label: "Already held", tone: "neutral" },
  PENDING: { label: "Already requested", tone: "neutral" },
  REFUSED: { label: "Cannot be requested", tone: "bad" },
};

/** The cart's form: whom for, why, how long, each item's outcome under its policy, and the one submission. */
function useCartForm() {
  const cart = useCart();
  const [people, setPeople] = useState<Person[]>([]);
  const [justification, setJustification] = useState("");
  const length = useLength();
  const input = { entitlementIds: cart.items.map((i) => i.id), forUserIds: people.map((p) => p.id), ...length.input };
  const preview = trpc.requests.previewCart.useQuery(input, { enabled: cart.items.length > 0, placeholderData: (prev) => prev, retry: false });
  const utils = trpc.useUtils();
  const submit = trpc.requests.submitCart.useMutation({
    onSuccess: (r) => {
      if (r.submitted) cart.clear();
      void utils.catalog.invalidate();
      void utils.requests.mine.invalidate();
    },
  });
  const fieldErrors = submit.error?.data?.fieldErrors ?? null;
  const ready = Boolean(preview.data?.ready) && !preview.isPlaceholderData && !length.missingDate;
  return {
    cart,
    people,
    addPerson: (p: Person) => setPeople((all) => (all.some((a) => a.id === p.id) ? all : [...all, p])),
    removePerson: (id: string) => setPeople((all) => all.filter((p) => p.id !== id)),
    justification,
    setJustification,
    length,
    preview,
    submit,
    errors: { justification: fieldErrors?.justification?.[0], other: fieldErrors ? null : (submit.error?.message ?? null) },
    canSubmit: ready && !submit.isPending,
    send: () => submit.mutate({ ...input, justification }),
  };
}
type CartForm = ReturnType<typeof useCartForm>;

/** The cart: every entitlement in it, what its own policy does, and one justification for them all. */
export function CartDialog({ onClose, canAskForOthers }: { onClose: () => void; canAskForOthers: boolean }) {
  const form = useCartForm();
  const results = form.submit.data;
  return (
    <Dialog title={results ? (results.submitted ? "Requests sent" : "Nothing was sent") : "Your cart"} isOpen onClose={onClose} size="lg" testId="cart-dialog">
      {results ? (
        <CartResults results={results} onClose={onClose} onBack={() => form.submit.reset()} />
      ) : form.cart.items.length === 0 ? (
        <div className="mt-4 grid gap-4">
          <p className="text-sm text-slate-600">Your cart is empty. Use “Add to cart” next to an entitlement to ask for several at once.</p>
          <div className="flex justify-end"><Button variant="secondary" onClick={onClose}>Close</Button></div>
        </div>
      ) : (
        <form
          className="mt-4 grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (form.canSubmit) form.send();
          }}
        >
          {canAskForOthers && <ForWhom form={form} />}
          <CartItems form={form} />
          <TextField label="Why do you need it?" multiline rows={3} value={form.justification} onChange={form.setJustification} error={form.errors.justification} hint="One reason for everything in the cart; each approver reads it." />
          <LengthField length={form.length} />
          {form.errors.other && <p className="rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{form.errors.other}</p>}
          <CartFooter form={form} onClose={onClose} />
        </form>
      )}
    </Dialog>
  );
}

function CartFooter({ form, onClose }: { form: CartForm; onClose: () => void }) {
  const count = form.preview.data?.items.length ?? form.cart.items.length;
  const stuck = form.preview.data && !form.preview.data.ready;
  return (
    <div className="grid gap-2">
      {stuck && <p className="text-sm text-rose-700" data-testid="cart-stuck">Remove what cannot be requested (marked above) to send the rest.</p>}
      <div className="flex flex-wrap justify-between gap-2">
        <Button variant="quiet" onClick={form.cart.clear}>Empty the cart</Button>
        <div className="flex flex-wrap gap-2">
          <Button variant="quiet" onClick={onClose}>Keep browsing</Button>
          <Button type="submit" isDisabled={!form.canSubmit}>{form.submit.isPending ? "Sending…" : `Send ${count} ${count === 1 ? "request" : "requests"}`}</Button>
        </div>
      </div>
    </div>
  );
}

/** For yourself, or for the people picked (a manager's reports; an admin, anyone). */
function ForWhom({ form }: { form: CartForm }) {
  return (
    <fieldset className="grid gap-2">
      <legend className="text-sm font-medium text-slate-700">For whom?</legend>
      {form.people.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="cart-for">For yourself. To ask for your reports instead, add them here.</p>
      ) : (
        <ul className="flex flex-wrap gap-2" data-testid="cart-for">
          {form.people.map((p) => (
            <li key={p.id} className="flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pl-3 pr-1 text-sm">
              <span className="break-words">{personName(p)}</span>
              <Button variant="quiet" className="!px-2 !py-0.5" onClick={() => form.removePerson(p.id)} aria-label={`Remove ${personName(p)} from whom the cart is for`}>×</Button>
            </li>
          ))}
        </ul>
      )}
      <PersonSearch label="Ask for someone else" placeholder="Search your reports by name or email" includeMe={false} exclude={form.people.map((p) => p.id)} onPick={form.addPerson} />
    </fieldset>
  );
}

function CartItems({ form }: { form: CartForm }) {
  const { preview } = form;
  const outcomes = (id: string) => preview.data?.items.filter((i) => i.entitlementId === id) ?? [];
  const several = form.people.length > 1;
  return (
    <section aria-labelledby="cart-items-title" aria-busy={preview.isFetching}>
      <h3 id="cart-items-title" className="text-sm font-semibold text-slate-900">
        In the cart <span className="font-normal text-slate-500">({form.cart.items.length})</span>
        {preview.isFetching && <span className="ml-2 text-xs font-normal text-slate-400">Checking…</span>}
      </h3>
      {preview.error && <p className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">{preview.error.message}</p>}
      <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200">
        {form.cart.items.map((item) => (
          <CartRow key={item.id} item={item} outcomes={outcomes(item.id)} namePeople={several} onRemove={() => form.cart.remove(item.id)} />
        ))}
      </ul>
    </section>
  );
}

function CartRow({ item, outcomes, namePeople, onRemove }: { item: CartItem; outcomes: PreviewItem[]; namePeople: boolean; onRemove: () => void }) {
  return (
    <li className="flex flex-wrap items-start justify-between gap-2 p-3" data-testid="cart-item">
      <div className="min-w-0 flex-1 basis-56">
        <p className="break-words text-sm font-medium">{item.app} / {item.name}</p>
        {outcomes.length === 0 && <p className="text-xs text-slate-500">Checking its policy…</p>}
        <ul className="mt-1 space-y-1">
          {outcomes.map((o) => (
            <li key={o.personId} className="text-sm" data-testid="cart-outcome">
              {namePeople && <span className="font-medium text-slate-700">{o.person}: </span>}
              <Badge label={OUTCOME[o.outcome.status].label} tone={OUTCOME[o.outcome.status].tone} testId="cart-outcome-status" />{" "}
              <span className="break-words text-slate-600">
                {o.outcome.status === "AUTO" ? "Nobody needs to approve it." : o.outcome.text}
                {o.outcome.extendsFrom && <> Extends the access held until <ExactDate date={o.outcome.extendsFrom} />.</>}
              </span>
              {o.outcome.requestId && (
                <Link href={`/requests/${o.outcome.requestId}`} className={`${buttonVariants.link} ml-1`}>See the request<span className="sr-only"> for {item.app} / {item.name}</span></Link>
              )}
            </li>
          ))}
        </ul>
      </div>
      <Button variant="quiet" onClick={onRemove} aria-label={`Remove ${item.app} / ${item.name} from the cart`}>Remove</Button>
    </li>
  );
}

/** After sending: each request with a link, or (nothing sent) what stopped which item. */
function CartResults({ results, onClose, onBack }: { results: Results; onClose: () => void; onBack: () => void }) {
  return (
    <div className="mt-4 grid gap-4" data-testid="cart-results">
      <p className="text-sm text-slate-600" role="status">
        {results.submitted
          ? `${results.results.length} ${results.results.length === 1 ? "request was" : "requests were"} sent. Follow them under My requests.`
          : "Nothing was sent: every request of a cart goes together, and something changed since the check. Fix what is marked and send again."}
      </p>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {results.results.map((r) => (
          <li key={`${r.personId}:${r.entitlementId}`} className="flex flex-wrap items-center justify-between gap-2 p-3 text-sm" data-testid="cart-result">
            <span className="min-w-0 break-words">
              <span className="font-medium">{r.entitlement}</span> <span className="text-slate-500">for {r.person}</span>
              {r.problem && <span className="block text-rose-700">{r.problem}</span>}
            </span>
            {r.requestId ? (
              <span className="flex flex-wrap items-center gap-2">
                <Badge label={r.status === "APPROVED" ? "Approved" : "Waiting for approval"} tone={r.status === "APPROVED" ? "good" : "waiting"} />
                <Link href={`/requests/${r.requestId}`} className={buttonVariants.link}>See the request<span className="sr-only"> for {r.entitlement}, {r.person}</span></Link>
              </span>
            ) : (
              <Badge label="Not sent" tone="neutral" />
            )}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap justify-end gap-2">
        {!results.submitted && <Button variant="secondary" onClick={onBack}>Back to the cart</Button>}
        {results.submitted && <Link href="/requests" className={buttonVariants.secondary}>My requests</Link>}
        <Button onClick={onClose}>Done</Button>
      </div>
    </div>
  );
}
