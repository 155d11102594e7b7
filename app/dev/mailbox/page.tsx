import { headers } from "next/headers";
import Link from "next/link";
import { ExactDate } from "@/app/_components/when";
import { notFound } from "next/navigation";
import { readDevMailbox } from "@/server/mail/dev-mailbox";

export const dynamic = "force-dynamic";

/** Split a plain-text mail into text and clickable links. */
function Linkified({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/\S+)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^https?:\/\//.test(part) ? (
          <a key={i} href={part} className="break-all font-medium text-indigo-700 underline hover:text-indigo-500">
            {part}
          </a>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </>
  );
}

export default async function DevMailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  const { to } = await searchParams;
  const mails = await readDevMailbox(await headers(), to);
  if (!mails) notFound();
  return (
    <div>
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-semibold">Dev mailbox</h1>
        <form className="flex min-w-0 gap-2" action="/dev/mailbox">
          <input name="to" defaultValue={to} placeholder="Filter by recipient" aria-label="Recipient" className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm" />
          <button className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50">Filter</button>
          {to && <Link href="/dev/mailbox" className="px-2 py-1.5 text-sm text-slate-600">Clear</Link>}
        </form>
      </div>
      <p className="mt-1 text-sm text-slate-600">No SMTP server is configured, so the portal keeps its mail here. Set SMTP_URL to send real mail.</p>
      {mails.length === 0 && <p className="mt-8 text-center text-slate-500">No mail yet.</p>}
      <ul className="mt-6 space-y-4">
        {mails.map((m) => (
          <li key={m.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="mail">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="font-medium" data-testid="mail-subject">{m.subject}</h2>
              <ExactDate date={m.createdAt} withTime className="text-xs text-slate-500" />
            </div>
            <p className="text-sm text-slate-600">To: <span data-testid="mail-to">{m.to}</span></p>
            <pre className="mt-3 whitespace-pre-wrap font-sans text-sm text-slate-800"><Linkified text={m.text} /></pre>
          </li>
        ))}
      </ul>
    </div>
  );
}
