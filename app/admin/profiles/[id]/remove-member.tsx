"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { fieldErrorsOf, FormErrors } from "@/app/_components/form-errors";
import { personName } from "@/app/_components/person-search";
import type { ProfilePerson } from "@/app/admin/profiles/shared";

/** Ends a person's enrollment, with a reason: their items held only through the profile go too. */
export function RemoveMemberForm({ profileId, person, onClose }: { profileId: string; person: ProfilePerson; onClose: () => void }) {
  const utils = trpc.useUtils();
  const [reason, setReason] = useState("");
  const unenroll = trpc.profiles.unenroll.useMutation({
    onSuccess: async () => {
      onClose();
      await utils.profiles.byId.invalidate({ id: profileId });
    },
  });
  const fields = fieldErrorsOf(unenroll.error);
  const who = personName(person);
  return (
    <form
      className="space-y-2"
      aria-label={`Remove ${who} from the profile`}
      onSubmit={(e) => {
        e.preventDefault();
        unenroll.mutate({ profileId, userId: person.id, reason });
      }}
    >
      <div className="flex flex-wrap items-start gap-2">
        <TextField
          label={`Why remove ${who}?`}
          value={reason}
          onChange={setReason}
          placeholder="e.g. Moved to the partner team"
          error={fields?.reason}
          className="min-w-0 flex-1 basis-64"
          autoFocus
        />
        {/* Level with the input, under the field's label. */}
        <div className="flex gap-2 sm:mt-6">
          <Button type="submit" variant="bad" isDisabled={unenroll.isPending}>Remove from profile</Button>
          <Button variant="secondary" onClick={onClose}>Cancel</Button>
        </div>
      </div>
      <FormErrors error={unenroll.error} shown={["reason"]} />
      <p className="text-xs text-slate-500">Their access held only through this profile is revoked. If a rule still matches them, exclude them too, or the next sync enrolls them again.</p>
    </form>
  );
}
