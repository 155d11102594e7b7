import "server-only";
import { z } from "zod";
import type { Actor } from "@/server/actor";
import { recordAudit } from "@/server/audit/record";
import type { Db, Tx } from "@/server/db";
import { AppError, notFound } from "@/server/errors";

// Access profiles: bundles of entitlements from any apps. Each profile has two entitlements of its
// own in the portal's system app "Access profiles": holding the enrollment entitlement is being
// enrolled (requesting the profile requests it, under the profile's policy), and holding "excluded
// from rule" keeps a person out of its rules. Neither provisions anything on a target.

export const PROFILES_APP_SLUG = "access-profiles";

/** The system app holding profiles' entitlements, created the first time a profile is. */
export async function ensureProfilesApp(tx: Tx): Promise<string> {
  const found = await tx.app.findUnique({ where: { slug: PROFILES_APP_SLUG }, select: { id: true } });
  if (found) return found.id;
  const owner = await tx.user.findFirst({ where: { isAdmin: true }, orderBy: { createdAt: "asc" }, select: { id: true } });
  if (!owner) throw new AppError("CONFLICT", "An admin must exist before access profiles can be created.");
  const app = await tx.app.create({
    data: { slug: PROFILES_APP_SLUG, name: "Access profiles", description: "Bundles of access: request one to get everything in it.", ownerId: owner.id, isSystem: true },
  });
  return app.id;
}

export const profileInput = z.object({
  id: z.string().min(1).optional(),
  name: z.string().trim().min(3, "Name the profile (at least 3 characters).").max(80, "Keep the name under 80 characters."),
  description: z.string().trim().max(500, "Keep the description under 500 characters.").default(""),
  /** The policy for enrollment requests; null: the global default. Each item keeps its own policy. */
  requestPolicyId: z.string().min(1).nullable().default(null),
  itemIds: z.array(z.string().min(1)).min(1, "Add at least one entitlement to the profile.").max(100, "At most 100 entitlements per profile."),
  /** More members than this unenrolled at once waits for an admin; null: 10 people or 10 %, whichever is larger. */
  revocationThreshold: z.number().int("Enter a whole number of people.").min(1, "Hold at 1 person or more.").max(1_000_000, "Enter at most 1,000,000.").nullable().default(null),
});

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/(^-|-$)/g, "");

/** Create or update a profile, its items, and its two entitlements (kept in step with its name and policy). */
export async function saveProfile(db: Db, actor: Actor, input: z.input<typeof profileInput>) {
  return db.$transaction((tx) => saveProfileTx(tx, actor.id, input));
}

/** saveProfile inside the caller's transaction (the demo seed uses it too). */
export async function saveProfileTx(tx: Tx, actorId: string, input: z.input<typeof profileInput>) {
  const p = profileInput.parse(input);
  const itemIds = [...new Set(p.itemIds)];
  {
    const appId = await ensureProfilesApp(tx);
    const items = await tx.entitlement.findMany({ where: { id: { in: itemIds } }, select: { id: true, name: true, app: { select: { name: true, isSystem: true } } }, orderBy: [{ app: { name: "asc" } }, { name: "asc" }] });
    if (items.length !== itemIds.length) throw notFound("One of those entitlements");
    if (items.some((i) => i.app.isSystem)) throw new AppError("BAD_REQUEST", "A profile cannot contain another profile.");
    if (p.requestPolicyId && !(await tx.requestPolicy.count({ where: { id: p.requestPolicyId } }))) throw notFound("That policy");
    const clash = await tx.accessProfile.findUnique({ where: { name: p.name } });
    if (clash && clash.id !== p.id) throw new AppError("CONFLICT", `A profile named “${p.name}” already exists.`);
    const before = p.id ? await tx.accessProfile.findUnique({ where: { id: p.id }, include: { items: true } }) : null;
    if (p.id && !before) throw notFound("That profile");
    const data = { name: p.name, description: p.description, requestPolicyId: p.requestPolicyId, revocationThreshold: p.revocationThreshold };
    const profile = before ? await tx.accessProfile.update({ where: { id: before.id }, data }) : await tx.accessProfile.create({ data });
    await tx.accessProfileItem.deleteMany({ where: { profileId: profile.id } });
    await tx.accessProfileItem.createMany({ data: itemIds.map((entitlementId) => ({ profileId: profile.id, entitlementId })) });
    for (const [role, name, requestable, description] of [
      // The catalog shows what the bundle holds, and finds the profile by its items' names.
      ["ENROLLMENT", p.name, true, `${p.description || `Everything in the ${p.name} access profile.`} Includes: ${items.map((i) => `${i.app.name} / ${i.name}`).join(", ")}.`],
      ["EXCLUDED", `${p.name} (excluded from rule)`, false, `People kept out of the ${p.name} profile's rules.`],
    ] as const) {
      const fields = { name, description, requestable, requestPolicyId: role === "ENROLLMENT" ? p.requestPolicyId : null, kind: "ROLE" as const };
      await tx.entitlement.upsert({
        where: { profileId_profileRole: { profileId: profile.id, profileRole: role } },
        create: { ...fields, appId, profileId: profile.id, profileRole: role, externalName: `profile-${slug(p.name)}${role === "EXCLUDED" ? "-excluded" : ""}` },
        update: fields,
      });
    }
    await recordAudit(tx, {
      actorId,
      action: before ? "profile.updated" : "profile.created",
      objectType: "profile",
      objectId: profile.id,
      before: before ? { name: before.name, description: before.description, requestPolicyId: before.requestPolicyId, itemIds: before.items.map((i) => i.entitlementId) } : undefined,
      after: { ...data, itemIds },
    });
    return { id: profile.id };
  }
}

/** A profile's two entitlements. */
export async function profileEntitlements(tx: Tx, profileId: string) {
  const rows = await tx.entitlement.findMany({ where: { profileId }, select: { id: true, profileRole: true } });
  const enrollment = rows.find((r) => r.profileRole === "ENROLLMENT");
  const excluded = rows.find((r) => r.profileRole === "EXCLUDED");
  if (!enrollment || !excluded) throw notFound("That profile");
  return { enrollmentId: enrollment.id, excludedId: excluded.id };
}
