import Link from "next/link";

const messages: Record<string, string> = {
  AccessDenied: "That email address does not belong to anyone in this organisation.",
  AccountInactive:
    "Your account is not active: you are recorded as on leave or as having left the organisation. If that is wrong, ask your manager or IT to update your record.",
  Verification: "That sign-in link has expired or has already been used. Ask for a new one.",
  Configuration: "Sign-in is not configured correctly. Ask an administrator.",
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <div className="mx-auto mt-12 max-w-sm rounded-xl border border-rose-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">Could not sign you in</h1>
      <p className="mt-2 text-sm text-slate-600">{messages[error ?? ""] ?? "Something went wrong while signing in. Try again."}</p>
      <Link href="/signin" className="mt-6 inline-block text-sm font-medium text-indigo-700 hover:underline">Back to sign-in</Link>
    </div>
  );
}
