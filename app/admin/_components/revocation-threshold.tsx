"use client";
import { labelClass, inputClass } from "@/app/_components/ui/classes";
import { FieldError } from "@/app/_components/form-errors";

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
    <div>
      <label htmlFor={id} className={labelClass}>Hold mass removals above</label>
      <div className="mt-1 flex items-center gap-2">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={value ?? ""}
          onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
          placeholder="default"
          aria-describedby={`${id}-hint`}
          aria-invalid={Boolean(errors?.length)}
          className={`${inputClass} w-32`}
        />
        <span className="text-sm text-slate-600">people at once</span>
      </div>
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
        When one upload, SCIM burst or sync would remove more {whose} than this, nothing is removed until an admin confirms it. Blank: 10
        people or 10 %, whichever is larger.
      </p>
      <FieldError messages={errors} />
    </div>
  );
}
