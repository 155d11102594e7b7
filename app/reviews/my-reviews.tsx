"use client";
import Link from "next/link";
import { Num } from "@/app/_components/when";
import { trpc } from "@/app/_trpc/client";
import { Due } from "@/app/reviews/due";

/** The access reviews the signed-in person reviews in: open ones first, with how far along they are. */
export function MyReviews() {
  const mine = trpc.reviews.mine.useQuery();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Access reviews</h1>
      <p className="mt-1 text-sm text-slate-600">Confirm that the people you review still need the access they hold, or have it removed.</p>
      {mine.error && <p className="mt-6 rounded-md bg-rose-50 p-3 text-sm text-rose-800" role="alert">{mine.error.message}</p>}
      {mine.data?.length === 0 && (
        <p className="mt-10 text-center text-slate-500" data-testid="no-reviews">
          You have no access to review. When an admin starts a review that includes people or apps you look after, it appears here and you get an email.
        </p>
      )}
      <ul className="mt-6 space-y-3">
        {mine.data?.map((c) => {
          const decided = c.total - c.pending;
          return (
            <li key={c.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" data-testid="review-campaign">
              <Link href={`/reviews/${c.id}`} className="break-words font-medium text-indigo-700 hover:underline">
                {c.name}
              </Link>
              <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
                <Due dueAt={c.dueAt} status={c.status} />
                <span className="text-slate-600" data-testid="review-progress">
                  <Num value={decided} /> of <Num value={c.total} /> decided
                </span>
                {c.status === "ACTIVE" && c.pending > 0 && (
                  <span className="text-slate-600">
                    <Num value={c.pending} /> waiting for you
                  </span>
                )}
              </p>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
