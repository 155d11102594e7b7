"use client";
import { TextField } from "@/app/_components/ui/field";

/**
 * The mass-revocation guard's threshold for an app or a profile: more people than this losing access
 * at once (one HR upload, a SCIM burst, a sync) waits for an admin at /admin/revocations. Blank keeps
 * the default.
 */
export function RevocationThresholdField({
  id,
  value,
  onChange,
  whose,
  errors,
}: {
  id: string;
  value: number | null;
  onChange: (value: number | null) => void;
  whose: string;
  errors?: string[];
}) {
  return (
    <TextField
      id={id}
      label="Hold mass removals above (people at once)"
      type="number"
      inputMode="numeric"
      value={value === null ? "" : String(value)}
      onChange={(text) => onChange(text.trim() === "" ? null : Number(text))}
      placeholder="default"
      error={errors}
      validationBehavior="aria"
      className="max-w-md"
      hint={
        <>
          When one upload, SCIM burst or sync would remove more {whose} than this, nothing is removed until an admin confirms it. Blank: 10 people or 10 %,
          whichever is larger.
        </>
      }
    />
  );
}
