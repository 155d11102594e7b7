"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorNote } from "@/app/_components/section";
import { Button } from "@/app/_components/ui/button";
import { TextField } from "@/app/_components/ui/field";
import { trpc } from "@/app/_trpc/client";
import { problemsOf, shownProblems, type Problems } from "@/app/admin/apps/form-problems";
import { RadioField } from "@/app/_components/ui/radio";
import { DEPROVISION_CHOICES } from "@/app/admin/apps/deprovision-choices";
import { PersonField, type Person as PickedPerson } from "@/app/_components/person-search";
import { createAppInput, slugFromName } from "@/universal/catalog/app-inputs";

type Values = { name: string; slug: string; description: string; deprovisionAction: "SUSPEND" | "DELETE" };

/** The new app's fields, its check before sending, and the mutation that adds it and opens its page. */
function useNewAppForm() {
  const router = useRouter();
  const utils = trpc.useUtils();
  const [values, setValues] = useState<Values>({ name: "", slug: "", description: "", deprovisionAction: "SUSPEND" });
  // The address follows the name until the admin edits it.
  const [slugEdited, setSlugEdited] = useState(false);
  const [owner, setOwner] = useState<PickedPerson | null>(null);
  const [own, setOwn] = useState<Problems | null>(null);
  const create = trpc.admin.createApp.useMutation({
    onSuccess: async (app) => {
      await utils.admin.apps.invalidate();
      router.push(`/admin/apps/${app.slug}`);
    },
  });
  const changed = () => {
    setOwn(null);
    create.reset();
  };
  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    if (field === "slug") setSlugEdited(true);
    const followName = field === "name" && !slugEdited;
    setValues((v) => ({ ...v, [field]: value, ...(followName ? { slug: slugFromName(value) } : {}) }));
    changed();
  };
  const pickOwner = (p: PickedPerson | null) => {
    setOwner(p);
    changed();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = problemsOf(createAppInput, { ...values, ownerId: owner?.id ?? "" });
    if (checked.problems) return setOwn(checked.problems);
    create.mutate(checked.data);
  };
  // A clash is about the address: say so beside it.
  const conflict = create.error?.data?.code === "CONFLICT" ? create.error.message : undefined;
  return { values, set, owner, pickOwner, submit, create, conflict, problems: shownProblems(own, create.error) };
}

/** Adding an app: it starts with no connectors and an empty plan, so its requests become manual tasks. */
export function NewAppForm({ onCancel }: { onCancel: () => void }) {
  const { values, set, owner, pickOwner, submit, create, conflict, problems } = useNewAppForm();
  return (
    <form className="space-y-4" data-testid="new-app-form" noValidate onSubmit={submit}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" value={values.name} onChange={(v) => set("name", v)} placeholder="e.g. Notion" error={problems.name} />
        <TextField
          label="Slug"
          value={values.slug}
          onChange={(v) => set("slug", v)}
          error={problems.slug ?? conflict}
          hint={<>The app&apos;s address, /admin/apps/{values.slug || "…"}: lowercase letters, digits and dashes, made from the name unless you change it.</>}
          className="[&_input]:font-mono"
        />
      </div>
      <TextField
        label={<>Description <span className="font-normal text-slate-500">(optional)</span></>}
        value={values.description}
        onChange={(v) => set("description", v)}
        multiline
        rows={2}
        placeholder="What the app is for, as people see it in the catalog"
        error={problems.description}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="min-w-0">
          <PersonField id="new-app-owner" label="Owner" value={owner} onChange={pickOwner} error={problems.ownerId?.[0]} />
          <p className="mt-1 text-xs text-slate-500">Approves when a policy asks for the app owner, and works its manual tasks until it has provisioners.</p>
        </div>
        <RadioField
          legend="When access is removed, the account the portal created is"
          name="new-app-deprovision"
          value={values.deprovisionAction}
          onChange={(v) => set("deprovisionAction", v)}
          choices={DEPROVISION_CHOICES}
          error={problems.deprovisionAction}
        />
      </div>
      <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-600 ring-1 ring-inset ring-slate-200">
        The app starts with no connectors and an empty provisioning plan: until you add them on the app&apos;s page, each approved request becomes a manual task for
        the owner. Add its entitlements there too.
      </p>
      {!conflict && !create.error?.data?.fieldErrors && <ErrorNote message={create.error?.message} />}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" isDisabled={create.isPending}>{create.isPending ? "Adding…" : "Add app"}</Button>
        <Button variant="quiet" onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
