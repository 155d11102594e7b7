"use client";
import { Button } from "@/app/_components/ui/button";
import { Num } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { useCart } from "@/app/cart/cart-store";

/** "Popular with your team": what most of the viewer's department holds and they do not, to add to the cart. */
export function PopularWithTeam() {
  const popular = trpc.catalog.popular.useQuery();
  const cart = useCart();
  const items = popular.data ?? [];
  if (items.length === 0) return null;
  return (
    <section className="mt-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby="popular-title" data-testid="popular-with-team">
      <h2 id="popular-title" className="text-sm font-semibold text-slate-900">Popular with your team</h2>
      <ul className="mt-2 divide-y divide-slate-100">
        {items.map((e) => {
          const what = <span className="sr-only"> {e.app} / {e.name}</span>;
          return (
            <li key={e.id} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-2">
              <p className="min-w-0 flex-1 basis-48 text-sm">
                <span className="font-medium">{e.app} / {e.name}</span>{" "}
                <span className="text-xs text-slate-500">
                  held by <Num value={e.holders} /> of <Num value={e.teamSize} /> in {e.department}
                </span>
              </p>
              {cart.has(e.id) ? (
                <Button variant="quiet" onClick={() => cart.remove(e.id)}>Remove from cart{what}</Button>
              ) : (
                <Button variant="quiet" onClick={() => cart.add({ id: e.id, name: e.name, app: e.app })}>Add to cart{what}</Button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
