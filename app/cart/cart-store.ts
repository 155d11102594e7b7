"use client";
import { useSyncExternalStore } from "react";

// The cart lives in localStorage, so it survives moving between pages and reloading, and every tab of
// the session sees the same one. Only ids and names are kept: the server checks everything again.

export type CartItem = { id: string; name: string; app: string };

const KEY = "access-portal.cart";
const EMPTY: CartItem[] = [];
const listeners = new Set<() => void>();
let cached: { raw: string | null; items: CartItem[] } = { raw: null, items: EMPTY };

function read(): CartItem[] {
  const raw = window.localStorage.getItem(KEY);
  if (raw === cached.raw) return cached.items;
  let items = EMPTY;
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) items = parsed.filter((i): i is CartItem => typeof i?.id === "string" && typeof i?.name === "string" && typeof i?.app === "string");
  } catch {
    // A cart another version wrote, or a hand-edited one: start again.
  }
  cached = { raw, items };
  return items;
}

function write(items: CartItem[]) {
  window.localStorage.setItem(KEY, JSON.stringify(items));
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => e.key === KEY && listener();
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

/** The cart's items and what changes them; empty while rendering on the server. */
export function useCart() {
  const items = useSyncExternalStore(subscribe, read, () => EMPTY);
  return {
    items,
    has: (id: string) => items.some((i) => i.id === id),
    add: (item: CartItem) => {
      if (!read().some((i) => i.id === item.id)) write([...read(), item]);
    },
    remove: (id: string) => write(read().filter((i) => i.id !== id)),
    clear: () => write([]),
  };
}
