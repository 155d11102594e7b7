import { z } from "zod";
import type { FormError } from "@/app/_components/form-errors";

export type Problems = Record<string, string[] | undefined>;

/** What the form's own check finds: each field's problems, or null when the value is fine. */
export function problemsOf<S extends z.ZodType>(schema: S, value: z.input<S>): { problems: Problems; data?: undefined } | { problems: null; data: z.output<S> } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { problems: null, data: parsed.data };
  return { problems: z.flattenError(parsed.error).fieldErrors as Problems };
}

/** The field problems to show: the form's own, else those the server sent back. */
export const shownProblems = (own: Problems | null, error: FormError): Problems => own ?? error?.data?.fieldErrors ?? {};
