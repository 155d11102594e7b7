import "server-only";
import { createHash } from "node:crypto";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Adapter, AdapterSession, AdapterUser } from "next-auth/adapters";
import { findPersonByEmail } from "@/server/auth/people";
import type { Db } from "@/server/db";

/**
 * What the Session table stores for a session cookie: its SHA-256, never the token itself, so a
 * copy of the database (a backup, a read replica, a console) signs nobody in.
 */
export function sessionTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * next-auth's Prisma adapter with three changes:
 * - a person is found by exact address (User.emailKey), whatever its case, and signing in never
 *   creates a person: the signIn callback refuses strangers first, this is the backstop;
 * - session tokens are stored hashed; next-auth still sees (and sets as the cookie) the raw token;
 * - ending a session that is already gone (a stale cookie after someone was signed out by going
 *   on leave) is not an error, so it cannot burn the magic link being used to sign back in.
 */
export function directoryAdapter(db: Db): Adapter {
  const adapter = PrismaAdapter(db);
  const withToken = <S extends AdapterSession>(session: S, sessionToken: string): S => ({ ...session, sessionToken });
  return {
    ...adapter,
    async getUserByEmail(email) {
      return (await findPersonByEmail(db, email)) as AdapterUser | null;
    },
    createUser() {
      throw new Error("Signing in does not create people: only people already in the directory may sign in.");
    },
    async createSession(session) {
      const created = await db.session.create({ data: { ...session, sessionToken: sessionTokenHash(session.sessionToken) } });
      return withToken(created, session.sessionToken);
    },
    async getSessionAndUser(sessionToken) {
      const found = await db.session.findUnique({ where: { sessionToken: sessionTokenHash(sessionToken) }, include: { user: true } });
      if (!found) return null;
      const { user, ...session } = found;
      return { user: user as AdapterUser, session: withToken(session, sessionToken) };
    },
    async updateSession({ sessionToken, ...changes }) {
      const updated = await db.session.updateMany({ where: { sessionToken: sessionTokenHash(sessionToken) }, data: changes });
      if (updated.count === 0) return null;
      const session = await db.session.findUnique({ where: { sessionToken: sessionTokenHash(sessionToken) } });
      return session && withToken(session, sessionToken);
    },
    async deleteSession(sessionToken) {
      await db.session.deleteMany({ where: { sessionToken: sessionTokenHash(sessionToken) } });
    },
  };
}
