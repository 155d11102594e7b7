import Link from "next/link";

/** What a signed-in person who is not an admin sees on an admin page. */
export function AdminsOnly() {
  return (
    <div className="mx-auto mt-12 max-w-sm rounded-xl border border-rose-200 bg-white p-8 text-center shadow-sm" data-testid="problem">
      <h1 className="text-xl font-semibold">Admins only</h1>
      <p className="mt-2 text-sm text-slate-600">Only admins can see this page. Ask your IT team if you need it.</p>
      <Link href="/" className="mt-6 inline-block text-sm font-medium text-indigo-700 hover:underline">Back to the catalog</Link>
    </div>
  );
}
