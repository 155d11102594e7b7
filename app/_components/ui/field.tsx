"use client";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { inputClass, labelClass } from "@/app/_components/ui/classes";
import { FieldError, Input, Label, Text, TextArea, TextField as AriaTextField, type TextFieldProps } from "react-aria-components";

const hintClass = "mt-1 block text-xs text-slate-500";
const errorClass = "mt-1 block text-sm text-rose-700";

/** The first of a field's problems, from a zod/tRPC error list or a plain message. */
const firstOf = (error: string[] | string | undefined) => (Array.isArray(error) ? error[0] : error) || undefined;

type TextProps = Omit<TextFieldProps, "className" | "isInvalid" | "children"> & {
  label: ReactNode;
  error?: string[] | string;
  hint?: ReactNode;
  placeholder?: string;
  multiline?: boolean;
  rows?: number;
  /** Values the browser offers as one types (a native datalist); any other text is still allowed. */
  suggestions?: readonly string[];
  className?: string;
};

/**
 * A labelled text input (or textarea) with its hint and error wired to it for screen readers
 * (React Aria's TextField). `onChange` receives the text.
 */
export function TextField({ label, error, hint, placeholder, multiline = false, rows = 3, suggestions, className = "", ...props }: TextProps) {
  const message = firstOf(error);
  const listId = `${useId()}-suggestions`;
  const typedEarly = useTypedBeforeHydration(props.value, props.onChange);
  return (
    // "aria" validation: the error is shown and announced, but never blocks the browser's submit (the
    // server's answer is what clears it).
    <AriaTextField {...props} isInvalid={Boolean(message)} validationBehavior="aria" className={`min-w-0 ${className}`}>
      <Label className={labelClass}>{label}</Label>
      {multiline ? (
        <TextArea ref={typedEarly} rows={rows} placeholder={placeholder} className={`mt-1 ${inputClass}`} />
      ) : (
        <Input ref={typedEarly} placeholder={placeholder} list={suggestions?.length ? listId : undefined} className={`mt-1 ${inputClass}`} />
      )}
      {suggestions && suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.map((s) => <option key={s} value={s} />)}
        </datalist>
      )}
      {hint && <Text slot="description" className={hintClass}>{hint}</Text>}
      <FieldError className={errorClass}>{message}</FieldError>
    </AriaTextField>
  );
}

/**
 * Text typed into a server-rendered field before its page went live (a slow phone, a fast typist):
 * React keeps it in the box while hydrating but not in the controlled value, and the next render
 * would wipe it. On mount it is handed to onChange, as if typed now. The ref goes on the input.
 */
function useTypedBeforeHydration(value: string | undefined, onChange: ((value: string) => void) | undefined) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const initial = useRef({ value, onChange });
  useEffect(() => {
    const typed = ref.current?.value;
    const { value: controlled, onChange: change } = initial.current;
    if (typed && controlled !== undefined && typed !== controlled) change?.(typed);
  }, []);
  return ref;
}

/** Label, hint and error around a native control, wired for screen readers; the control gets `id` and `describedBy`. */
function NativeFrame({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string[] | string;
  className: string;
  children: (wiring: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const message = firstOf(error);
  const describedBy = [hint ? `${id}-hint` : "", message ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`min-w-0 ${className}`}>
      <label htmlFor={id} className={labelClass}>{label}</label>
      {children({ id, describedBy, invalid: Boolean(message) })}
      {hint && <p id={`${id}-hint`} className={hintClass}>{hint}</p>}
      {message && <p id={`${id}-error`} className={errorClass}>{message}</p>}
    </div>
  );
}

export type Option = { value: string; label: string };

/**
 * A labelled native select. Native on purpose: phones show their own picker, and every screen reader
 * knows it. `placeholder` adds an empty first choice.
 */
export function SelectField({
  label,
  value,
  onChange,
  options,
  placeholder,
  error,
  hint,
  name,
  isDisabled,
  className = "",
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: readonly Option[];
  placeholder?: string;
  error?: string[] | string;
  hint?: ReactNode;
  name?: string;
  isDisabled?: boolean;
  className?: string;
}) {
  return (
    <NativeFrame label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={name}
          value={value}
          disabled={isDisabled}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          className={`mt-1 ${inputClass}`}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      )}
    </NativeFrame>
  );
}

/** A labelled checkbox (native, so forms and tests treat it as one). */
export function CheckboxField({ label, checked, onChange, hint, isDisabled }: { label: ReactNode; checked: boolean; onChange: (checked: boolean) => void; hint?: ReactNode; isDisabled?: boolean }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input id={id} type="checkbox" checked={checked} disabled={isDisabled} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? `${id}-hint` : undefined} className="mt-0.5 h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-300" />
      <div className="min-w-0">
        <label htmlFor={id} className="text-sm text-slate-700">{label}</label>
        {hint && <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p>}
      </div>
    </div>
  );
}

/**
 * A labelled native date input ("YYYY-MM-DD" in and out): phones show their own date picker, and
 * the format follows the viewer's locale.
 */
export function DateField({
  label,
  value,
  onChange,
  min,
  error,
  hint,
  className = "",
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  min?: string;
  error?: string[] | string;
  hint?: ReactNode;
  className?: string;
}) {
  return (
    <NativeFrame label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => (
        <input id={id} type="date" value={value} min={min} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} aria-describedby={describedBy} className={`mt-1 ${inputClass}`} />
      )}
    </NativeFrame>
  );
}
