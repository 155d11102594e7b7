"use client";
import Link from "next/link";
import { useDeferredValue, useEffect, useId, useRef, useState } from "react";
import { Badge } from "@/app/_components/ui/badge";
import { Button } from "@/app/_components/ui/button";
import { buttonVariants } from "@/app/_components/ui/classes";
import { SelectField } from "@/app/_components/ui/field";
import { useDateFormat } from "@/app/_components/when";
import { trpc, type RouterOutputs } from "@/app/_trpc/client";
import { CartDialog } from "@/app/cart/cart-dialog";
import { useCart } from "@/app/cart/cart-store";
import { PopularWithTeam } from "@/app/cart/popular-with-team";
import { RequestDialog, type Chosen } from "@/app/request-dialog";
import { ENTITLEMENT_KINDS, RISK_LEVELS } from "@/universal/catalog/search-inputs";

type CatalogPage = RouterOutputs["catalog"]["search"];
type CatalogApp = CatalogPage["apps"][number];
type Item = CatalogApp["entitlements"][number];
type Filters = { kind: "" | Item["kind"]; risk: "" | Item["riskLevel"]; app: string };


/** Pages merged back into one list of apps: an app cut by a page boundary continues on the next. */
function mergePages(pages: CatalogPage[] | undefined): CatalogApp[] {
  const apps = new Map<string, CatalogApp>();
  for (const app of (pages ?? []).flatMap((p) => p.apps)) {
    const seen = apps.get(app.id);
    apps.set(app.id, seen ? { ...seen, entitlements: [...seen.entitlements, ...app.entitlements] } : app);
  }
  return [...apps.values()];
}

/** `isAdmin`: the cart may be for anyone; managers may fill it for their reports. */
export function Catalog({ isAdmin = false }: { isAdmin?: boolean }) {
  const [query, setQuery] = useState("");
  const searchBox = useRef<HTMLInputElement>(null);
  // Uncontrolled, so words typed while the page was still loading stay in the box; picked up once it is live.
  useEffect(() => {
    if (searchBox.current?.value) setQuery(searchBox.current.value);
  }, []);
  const [filters, setFilters] = useState<Filters>({ kind: "", risk: "", app: "" });
  const deferred = useDeferredValue(query);
  const input = { q: deferred, kind: filters.kind || undefined, risk: filters.risk || undefined, app: filters.app || undefined };
  const search = trpc.catalog.search.useInfiniteQuery(input, { getNextPageParam: (last) => last.nextCursor, placeholderData: (prev) => prev });
  const appOptions = trpc.catalog.appOptions.useQuery(undefined, { staleTime: 5 * 60_000 });
  const apps = mergePages(search.data?.pages);
  const filtered = Boolean(filters.kind || filters.risk || filters.app);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [cartOpen, setCartOpen] = useState(false);
  const reports = trpc.requests.reports.useQuery();

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Catalog</h1>
        <CartButton onOpen={() => setCartOpen(true)} />
      </div>
      <p className="mt-1 text-sm text-slate-600">Find the access you need and ask for it. Before you submit you see who approves; once they do, it is set up for you.</p>
      <input
        ref={searchBox}
        type="search"
        defaultValue=""
        onChange={(e) => setQuery(e.target.value)}
        placeholder="Search apps, groups and roles…"
        aria-label="Search the catalog"
        className="mt-6 w-full rounded-lg border border-slate-300 bg-white px-4 py-2.5 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200"
      />
      <CatalogFilters filters={filters} onChange={setFilters} appOptions={appOptions.data ?? []} />
      {!deferred && !filtered && <PopularWithTeam />}
      {search.data && apps.length === 0 && (
        <p className="mt-10 text-center text-slate-500">{filtered ? "Nothing matches these filters." : `Nothing matches “${deferred}”.`}</p>
      )}
      <div className="mt-6 grid min-w-0 gap-4 md:grid-cols-2">
        {apps.map((app) => (
          <AppCard key={app.id} app={app} onRequest={setChosen} />
        ))}
      </div>
      {search.hasNextPage && (
        <div className="mt-6 text-center">
          <Button variant="secondary" onClick={() => void search.fetchNextPage()} isDisabled={search.isFetchingNextPage}>
            {search.isFetchingNextPage ? "Loading…" : "Show more"}
          </Button>
        </div>
      )}
      {chosen && <RequestDialog chosen={chosen} onClose={() => setChosen(null)} />}
      {cartOpen && <CartDialog onClose={() => setCartOpen(false)} canAskForOthers={isAdmin || (reports.data?.length ?? 0) > 0} />}
    </div>
  );
}

function CartButton({ onOpen }: { onOpen: () => void }) {
  const { items } = useCart();
  return (
    // The name is the visible text ("Cart 2"), with the unit for screen readers: "Cart 2 entitlements".
    <Button variant="secondary" onClick={onOpen}>
      Cart{" "}
      <span className="rounded-full bg-indigo-600 px-2 text-xs font-semibold text-white" data-testid="cart-count">{items.length}</span>
      <span className="sr-only"> {items.length === 1 ? "entitlement" : "entitlements"}</span>
    </Button>
  );
}

function CatalogFilters({ filters, onChange, appOptions }: { filters: Filters; onChange: (f: Filters) => void; appOptions: { slug: string; name: string }[] }) {
  return (
    <div className="mt-3 grid gap-3 sm:grid-cols-3" role="group" aria-label="Filter the catalog">
      <SelectField label="Kind" value={filters.kind} onChange={(v) => onChange({ ...filters, kind: v as Filters["kind"] })} options={ENTITLEMENT_KINDS} placeholder="All kinds" />
      <SelectField label="Risk" value={filters.risk} onChange={(v) => onChange({ ...filters, risk: v as Filters["risk"] })} options={RISK_LEVELS} placeholder="Any risk" />
      <SelectField
        label="App"
        value={filters.app}
        onChange={(app) => onChange({ ...filters, app })}
        options={appOptions.map((a) => ({ value: a.slug, label: a.name }))}
        placeholder="All apps"
      />
    </div>
  );
}

function AppCard({ app, onRequest }: { app: CatalogApp; onRequest: (c: Chosen) => void }) {
  return (
    <section className="min-w-0 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" data-testid="catalog-app">
      <header>
        <h2 className="text-lg font-semibold">{app.name}</h2>
        <p className="text-sm text-slate-600">{app.description}</p>
        <p className="mt-1 text-xs text-slate-500">Owner: {app.owner}</p>
      </header>
      <ul className="mt-4 divide-y divide-slate-100">
        {app.entitlements.map((e) => (
          <EntitlementRow key={e.id} app={app.name} item={e} onRequest={() => onRequest({ id: e.id, name: e.name, app: app.name })} />
        ))}
      </ul>
    </section>
  );
}

function EntitlementRow({ app, item: e, onRequest }: { app: string; item: Item; onRequest: () => void }) {
  const reasonId = useId();
  const blocked = !e.held && !e.requested ? e.blockedBySod : null;
  return (
    <li className="flex flex-wrap items-center justify-between gap-x-3 gap-y-2 py-2.5" data-testid="entitlement">
      <div className="min-w-0 flex-1 basis-48">
        <p className="text-sm font-medium">
          {e.name} <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 text-[10px] font-semibold uppercase text-slate-600">{e.kind}</span>
        </p>
        <p className="break-words text-xs text-slate-500">{e.description}</p>
        {blocked && (
          <p className="mt-1 break-words text-xs text-rose-700">
            Conflicts with {blocked.conflictsWith}.{" "}
            <span className="sr-only" id={reasonId}>
              {blocked.reason}
            </span>
          </p>
        )}
      </div>
      <ItemAction app={app} item={e} onRequest={onRequest} reasonId={reasonId} />
    </li>
  );
}

/** What the person can do with an entitlement: request it, see their request, see or extend what they have, or why they cannot. */
function ItemAction({ app, item: e, onRequest, reasonId }: { app: string; item: Item; onRequest: () => void; reasonId: string }) {
  // In the reader's language; a date alone reads the same in every time zone but a day's edge.
  const { format } = useDateFormat(false);
  const what = <span className="sr-only"> {app} / {e.name}</span>;
  if (e.requested) {
    return (
      <div className="flex min-w-0 max-w-full flex-wrap items-center gap-2">
        <Badge label="Requested" tone="waiting" testId="catalog-state" />
        <Link href={`/requests/${e.requested.requestId}`} className={buttonVariants.link}>
          See request{what}
        </Link>
      </div>
    );
  }
  if (e.held) {
    const until = (d: Date) => format(d);
    return (
      <div className="flex min-w-0 max-w-full flex-wrap items-center gap-2">
        <Badge label={e.held.expiresAt ? `You have this until ${until(e.held.expiresAt)}` : "You have this"} tone="good" testId="catalog-state" />
        <Link href="/access" className={buttonVariants.link}>
          My access<span className="sr-only"> for {app} / {e.name}</span>
        </Link>
        {e.held.expiresAt && (
          <Button variant="secondary" onClick={onRequest}>
            Extend{what}
          </Button>
        )}
      </div>
    );
  }
  if (e.blockedBySod) {
    return (
      <div className="flex min-w-0 max-w-full flex-wrap items-center gap-2" title={e.blockedBySod.reason}>
        <Badge label="Blocked by SoD" tone="bad" testId="catalog-state" />
        <Button variant="secondary" isDisabled aria-describedby={reasonId}>
          Request{what}
        </Button>
      </div>
    );
  }
  return (
    <div className="flex min-w-0 max-w-full flex-wrap items-center gap-2">
      <Button variant="secondary" onClick={onRequest}>
        Request{what}
      </Button>
      <CartToggle app={app} item={e} />
    </div>
  );
}

/** Add to the cart, or take out of it: the cart asks for several entitlements at once. */
function CartToggle({ app, item: e }: { app: string; item: Item }) {
  const cart = useCart();
  const what = <span className="sr-only"> {app} / {e.name}</span>;
  return cart.has(e.id) ? (
    <Button variant="quiet" onClick={() => cart.remove(e.id)}>
      Remove from cart{what}
    </Button>
  ) : (
    <Button variant="quiet" onClick={() => cart.add({ id: e.id, name: e.name, app })}>
      Add to cart{what}
    </Button>
  );
}
