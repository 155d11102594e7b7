// Class names shared by the portal's forms, so every input and button looks the same.

/** An input or select sized by its container's layout; `inputClass` fills the width. */
export const controlClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200";
export const inputClass = `w-full ${controlClass}`;
export const labelClass = "block text-sm font-medium text-slate-700";

const button = "rounded-md px-3 py-1.5 text-sm font-semibold disabled:opacity-60";
export const buttonClass = {
  primary: `${button} bg-indigo-600 text-white hover:bg-indigo-500`,
  good: `${button} bg-emerald-600 text-white hover:bg-emerald-500`,
  bad: `${button} bg-rose-600 text-white hover:bg-rose-500`,
  secondary: `${button} border border-slate-300 bg-white font-medium text-slate-700 hover:bg-slate-50`,
  quiet: "rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100",
};
