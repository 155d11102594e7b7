"use client";
import { useState, type ReactNode } from "react";
import { fieldErrorsOf, FormErrors, type FormError } from "@/app/_components/form-errors";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { TextField } from "@/app/_components/ui/field";

/** Denying asks for the reason the requester will read, and a second, deliberate click. */
export function DenyDialog({
  isOpen,
  title,
  initialReason,
  pending,
  error,
  onClose,
  onDeny,
  submitLabel = "Deny request",
  children,
}: {
  isOpen: boolean;
  title: string;
  initialReason: string;
  pending: boolean;
  error: FormError;
  onClose: () => void;
  onDeny: (reason: string) => void;
  submitLabel?: string;
  /** What is denied, when it is more than the title says (a bulk denial's list). */
  children?: ReactNode;
}) {
  const [reason, setReason] = useState<string | null>(null);
  const value = reason ?? initialReason;
  const close = () => {
    setReason(null);
    onClose();
  };
  return (
    <Dialog title={title} isOpen={isOpen} onClose={close} testId="deny-dialog">
      {children}
      <form
        className="mt-4 space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          onDeny(value);
        }}
      >
        <TextField
          label="Reason for denying"
          hint="The requester reads this in their email and on their request."
          multiline
          rows={3}
          value={value}
          onChange={setReason}
          error={fieldErrorsOf(error)?.comment}
          autoFocus
        />
        <FormErrors error={error} shown={["comment"]} />
        <div className="flex flex-wrap justify-end gap-2">
          <Button variant="quiet" onClick={close}>Keep it waiting</Button>
          <Button variant="bad" type="submit" isDisabled={pending}>{pending ? "Denying…" : submitLabel}</Button>
        </div>
      </form>
    </Dialog>
  );
}
