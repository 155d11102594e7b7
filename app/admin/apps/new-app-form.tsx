"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorNote } from "@/app/_components/section";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { trpc } from "@/app/_trpc/client";
import { problemsOf, shownProblems, type Problems } from "@/app/admin/apps/form-problems";
import { PersonField, type Person as PickedPerson } from "@/app/_components/person-search";
import { FieldError } from "@/app/_components/form-errors";
import { createAppInput, slugFromName } from "@/universal/catalog/app-inputs";

/** Adding an app: it starts with no connectors and an empty plan, so its requests become manual tasks. */
export function NewAppForm({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const utils = trpc.useUtils();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  // The address follows the name until the admin edits it.
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [owner, setOwner] = useState<PickedPerson | null>(null);
  const [deprovisionAction, setDeprovisionAction] = useState<"SUSPEND" | "DELETE">("SUSPEND");
  const [own, setOwn] = useState<Problems | null>(null);
  const create = trpc.admin.createApp.useMutation({
    onSuccess: async (app) => {
      await utils.admin.apps.invalidate();
      router.push(`/admin/apps/${app.slug}`);
    },
  });
  const problems = shownProblems(own, create.error);
  // A clash is about the address: say so beside it.
  const conflict = create.error?.data?.code === "CONFLICT" ? create.error.message : undefined;
  const changed = () => {
    setOwn(null);
    create.reset();
  };

  return (
    <form
      className="space-y-4"
      data-testid="new-app-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const checked = problemsOf(createAppInput, { name, slug, description, ownerId: owner?.id ?? "", deprovisionAction });
        if (checked.problems) return setOwn(checked.problems);
        create.mutate(checked.data);
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="new-app-name" className={labelClass}>Name</label>
          <input
            id="new-app-name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugFromName(e.target.value));
              changed();
            }}
            placeholder="e.g. Notion"
            aria-invalid={Boolean(problems.name)}
            className={`${inputClass} mt-1`}
          />
          <FieldError messages={problems.name} />
        </div>
        <div>
          <label htmlFor="new-app-slug" className={labelClass}>Slug</label>
          <div className="mt-1 flex items-center gap-1 text-sm text-slate-500">
            <span className="shrink-0">/admin/apps/</span>
            <input
              id="new-app-slug"
              value={slug}
              onChange={(e) => {
                setSlug(e.target.value);
                setSlugEdited(true);
                changed();
              }}
              aria-invalid={Boolean(problems.slug ?? conflict)}
              aria-describedby="new-app-slug-hint"
              className={`${inputClass} font-mono`}
            />
          </div>
          <p id="new-app-slug-hint" className="mt-1 text-xs text-slate-500">The app&apos;s address: lowercase letters, digits and dashes, made from the name unless you change it.</p>
          <FieldError messages={problems.slug ?? conflict} />
        </div>
      </div>
      <div>
        <label htmlFor="new-app-description" className={labelClass}>Description <span className="font-normal text-slate-500">(optional)</span></label>
        <textarea
          id="new-app-description"
          rows={2}
          value={description}
          onChange={(e) => {
            setDescription(e.target.value);
            changed();
          }}
          placeholder="What the app is for, as people see it in the catalog"
          aria-invalid={Boolean(problems.description)}
          className={`${inputClass} mt-1`}
        />
        <FieldError messages={problems.description} />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <PersonField
            id="new-app-owner"
            label="Owner"
            value={owner}
            onChange={(p) => {
              setOwner(p);
              changed();
            }}
            error={problems.ownerId?.[0]}
          />
          <p className="mt-1 text-xs text-slate-500">Approves when a policy asks for the app owner, and works its manual tasks until it has provisioners.</p>
        </div>
        <fieldset>
          <legend className={labelClass}>When access is removed, the account the portal created is</legend>
          <div className="mt-2 flex gap-6 text-sm">
            {(["SUSPEND", "DELETE"] as const).map((a) => (
              <label key={a} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="new-app-deprovision"
                  checked={deprovisionAction === a}
                  onChange={() => {
                    setDeprovisionAction(a);
                    changed();
                  }}
                />
                {a === "SUSPEND" ? "Suspended" : "Deleted"}
              </label>
            ))}
          </div>
          <FieldError messages={problems.deprovisionAction} />
        </fieldset>
      </div>
      <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">
        The app starts with no connectors and an empty provisioning plan: until you add them on the app&apos;s page, each approved request becomes a manual task for
        the owner. Add its entitlements there too.
      </p>
      {!conflict && !create.error?.data?.fieldErrors && <ErrorNote message={create.error?.message} />}
      <div className="flex gap-2">
        <button disabled={create.isPending} className={buttonVariants.primary}>{create.isPending ? "Adding…" : "Add app"}</button>
        <button type="button" onClick={onCancel} className={buttonVariants.quiet}>Cancel</button>
      </div>
    </form>
  );
}
