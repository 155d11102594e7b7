import Link from "next/link";
import { usesDevMailbox } from "@/server/env";

export default function CheckEmailPage() {
  return (
    <div className="mx-auto mt-12 max-w-sm rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-xl font-semibold">Check your email</h1>
      <p className="mt-2 text-sm text-slate-600">A sign-in link is on its way. It works once, for 15 minutes.</p>
      {usesDevMailbox() && (
        <Link href="/dev/mailbox" className="mt-6 inline-block rounded-md bg-amber-100 px-3 py-2 text-sm font-medium text-amber-900 hover:bg-amber-200">
          Open the dev mailbox
        </Link>
      )}
    </div>
  );
}
