import { ErrorNote } from "@/app/_components/section";

/** The parts of a tRPC client error the forms show: field errors from zod, or an AppError's message. */
export type FormError = { message: string; data?: { fieldErrors?: Record<string, string[] | undefined> | null } | null } | null | undefined;

export const fieldErrorsOf = (error: FormError) => error?.data?.fieldErrors ?? undefined;

/** A field's first problem, shown under it. */
export function FieldError({ messages }: { messages: string[] | string | undefined }) {
  const message = Array.isArray(messages) ? messages[0] : messages;
  if (!message) return null;
  return <p className="mt-1 text-sm text-rose-700">{message}</p>;
}

/**
 * The error of a save, next to the form. With field errors, the ones not already shown beside a field
 * (`shown` lists those keys) are listed; otherwise the server's message, never a stack trace.
 */
export function FormErrors({ error, shown = [] }: { error: FormError; shown?: string[] }) {
  if (!error) return null;
  const fields = fieldErrorsOf(error);
  if (!fields) return <ErrorNote message={error.message} />;
  const rest = [...new Set(Object.entries(fields).flatMap(([key, messages]) => (shown.includes(key) ? [] : (messages ?? []))))];
  return (
    <div className="mt-2 rounded-md bg-rose-50 p-2 text-sm text-rose-800" role="alert">
      <p>{error.message}</p>
      {rest.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {rest.map((m) => <li key={m}>{m}</li>)}
        </ul>
      )}
    </div>
  );
}

/** What a saved change says: applied at once, or waiting for a second admin. */
export function ChangeResult({ result }: { result: { status: "PENDING" | "APPLIED"; message: string } | null | undefined }) {
  if (!result) return null;
  return result.status === "PENDING" ? (
    <p className="mt-2 rounded-md bg-amber-50 p-2 text-sm text-amber-900 ring-1 ring-inset ring-amber-200" role="status" data-testid="change-result">
      <span className="font-semibold">Waiting for another admin.</span> {result.message}
    </p>
  ) : (
    <p className="mt-2 text-sm text-emerald-700" role="status" data-testid="change-result">{result.message}</p>
  );
}
