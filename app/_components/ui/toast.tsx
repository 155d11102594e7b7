"use client";
import {
  Button,
  Text,
  UNSTABLE_Toast as AriaToast,
  UNSTABLE_ToastContent as ToastContent,
  UNSTABLE_ToastQueue as ToastQueue,
  UNSTABLE_ToastRegion as ToastRegion,
} from "react-aria-components";

type ToastContentValue = { title: string; description?: string; tone: "good" | "bad" };

// One queue for the whole portal; React Aria marks its toast API unstable, so the package is pinned.
const queue = new ToastQueue<ToastContentValue>({ maxVisibleToasts: 3 });

/** Brief confirmations and failures, announced to screen readers; successes go after 6 s, failures stay. */
export const toast = {
  success: (title: string, description?: string) => queue.add({ title, description, tone: "good" }, { timeout: 6_000 }),
  error: (title: string, description?: string) => queue.add({ title, description, tone: "bad" }),
};

/** Rendered once, in the root layout. */
export function Toaster() {
  return (
    <ToastRegion queue={queue} className="fixed bottom-4 right-4 z-30 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2 outline-none">
      {({ toast: t }) => (
        <AriaToast
          toast={t}
          data-testid="toast"
          className={`flex items-start gap-3 rounded-lg p-3 text-sm shadow-lg ring-1 outline-none data-[focus-visible]:ring-2 ${
            t.content.tone === "good" ? "bg-emerald-50 text-emerald-900 ring-emerald-200" : "bg-rose-50 text-rose-900 ring-rose-200"
          }`}
        >
          <ToastContent className="min-w-0 flex-1">
            <Text slot="title" className="block font-semibold">{t.content.title}</Text>
            {t.content.description && <Text slot="description" className="mt-0.5 block break-words">{t.content.description}</Text>}
          </ToastContent>
          <Button slot="close" aria-label="Dismiss" className="rounded px-1 text-lg leading-none opacity-70 outline-none data-[hovered]:opacity-100 data-[focus-visible]:ring-2">
            ×
          </Button>
        </AriaToast>
      )}
    </ToastRegion>
  );
}
