// Class names shared by the UI kit and the few places that style a native element or a Link as a
// control. Not a client module, so server components can use them too.

export const controlClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200 data-[invalid]:border-rose-400 aria-[invalid=true]:border-rose-400";
export const inputClass = `w-full min-w-0 ${controlClass}`;
export const labelClass = "block text-sm font-medium text-slate-700";

export type ButtonVariant = "primary" | "good" | "bad" | "secondary" | "quiet" | "link";

const base =
  "inline-flex items-center justify-center gap-1.5 rounded-md text-sm outline-none transition-colors focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:ring-offset-1 disabled:cursor-not-allowed disabled:opacity-60";

/** A button's look, also for a Link that acts as one. */
export const buttonVariants: Record<ButtonVariant, string> = {
  primary: `${base} bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500`,
  good: `${base} bg-emerald-700 px-3 py-1.5 font-semibold text-white hover:bg-emerald-800`,
  bad: `${base} bg-rose-600 px-3 py-1.5 font-semibold text-white hover:bg-rose-500`,
  secondary: `${base} border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50`,
  quiet: `${base} px-3 py-1.5 text-slate-600 hover:bg-slate-100`,
  link: `${base} font-medium text-indigo-700 hover:underline`,
};

