import { redirect } from "next/navigation";
import { currentActor, signIn, ssoProvider } from "@/server/auth";
import { buttonVariants, inputClass, labelClass } from "@/app/_components/ui/classes";
import { signInPurpose } from "@/app/signin/purpose";
import { safeReturn } from "@/app/signin/safe-return";
import { usesDevMailbox } from "@/server/env";
import { workEmail } from "@/server/people/email";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; email?: string }>;
}) {
  const params = await searchParams;
  const returnTo = safeReturn(params.callbackUrl);
  if (await currentActor()) redirect(returnTo);
  const sso = ssoProvider();
  const purpose = signInPurpose(returnTo);

  async function sendLink(formData: FormData) {
    "use server";
    const parsed = workEmail.safeParse(formData.get("email"));
    if (!parsed.success) {
      redirect(`/signin?error=email&callbackUrl=${encodeURIComponent(returnTo)}`);
    }
    await signIn("nodemailer", { email: parsed.data, redirectTo: returnTo });
  }

  async function signInWithSso() {
    "use server";
    const provider = ssoProvider();
    if (!provider) redirect("/signin");
    // Redirects to the identity provider, which sends the person back to /api/auth/callback/oidc.
    await signIn(provider.id, { redirectTo: returnTo });
  }

  return (
    <div className="mx-auto mt-6 max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:mt-12 sm:p-8">
      <h1 className="text-xl font-semibold">{purpose?.title ?? "Sign in"}</h1>
      {purpose && (
        <p className="mt-2 rounded-md bg-indigo-50 p-3 text-sm text-indigo-900" data-testid="signin-purpose">
          {purpose.detail}
        </p>
      )}
      {sso ? (
        <>
          <p className="mt-1 text-sm text-slate-600">With your organisation account, or a link we email you.</p>
          <form action={signInWithSso} className="mt-6">
            <button className="w-full rounded-md bg-slate-900 px-3 py-2 text-sm font-semibold text-white hover:bg-slate-700 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:ring-offset-1">
              Sign in with {sso.name}
            </button>
          </form>
          <div className="mt-6 flex items-center gap-3 text-xs uppercase tracking-wide text-slate-500" aria-hidden="true">
            <span className="h-px flex-1 bg-slate-200" />
            or
            <span className="h-px flex-1 bg-slate-200" />
          </div>
        </>
      ) : (
        <p className="mt-1 text-sm text-slate-600">We will email you a sign-in link.</p>
      )}
      <form action={sendLink} className={sso ? "mt-4 space-y-3" : "mt-6 space-y-3"} noValidate>
        <label htmlFor="email" className={labelClass}>Work email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={params.email}
          aria-invalid={params.error === "email"}
          aria-describedby={params.error === "email" ? "email-error" : undefined}
          className={inputClass}
          placeholder="you@example.com"
        />
        {params.error === "email" && (
          <p id="email-error" className="text-sm text-rose-700">Enter your work email address, like jane@example.com.</p>
        )}
        <button className={`w-full ${buttonVariants.primary}`}>
          Email me a sign-in link
        </button>
      </form>
      {usesDevMailbox() && (
        <p className="mt-6 rounded-md bg-amber-50 p-3 text-xs text-amber-900">
          Demo mode: no mail server is configured, so sign-in links appear in the{" "}
          <a className="font-medium underline" href="/dev/mailbox">dev mailbox</a>. Try <code>admin@example.com</code>.
        </p>
      )}
    </div>
  );
}
