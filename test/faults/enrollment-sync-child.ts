import { createDb } from "@/server/db";
import { syncProfile } from "@/server/enrollment/sync";

// A sync in its own process, so the fault suite can kill it with SIGKILL mid-sync (a crash, not a stop).
// Prints "started <syncId>" once it holds the profile's lease (seen in the database by the test).

const profileId = process.env.SYNC_PROFILE_ID;
const url = process.env.SYNC_DATABASE_URL;
if (!profileId || !url) throw new Error("SYNC_PROFILE_ID and SYNC_DATABASE_URL must be set");
const db = createDb(url, 4);
process.stdout.write("ready\n");
await syncProfile(db, profileId, { trigger: "rule enabled (process killed mid-sync)", holder: "fault:child" });
process.stdout.write("finished\n");
await db.$disconnect();
