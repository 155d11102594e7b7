import { redirect } from "next/navigation";
import type { Actor } from "@/server/actor";
import { currentActor } from "@/server/auth";

/** For pages: the signed-in person, or a redirect to sign-in that comes back here afterwards. */
export async function requireActor(returnTo: string): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return actor;
}
