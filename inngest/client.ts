import { Inngest } from "inngest";

// In production this talks to Inngest (Cloud or self-hosted) using INNGEST_EVENT_KEY,
// INNGEST_SIGNING_KEY and INNGEST_BASE_URL. On one machine `npm start` (scripts/start.ts) runs the local
// engine (inngest/engine) instead: it points INNGEST_BASE_URL at it and sets INNGEST_DEV=0 with a shared
// INNGEST_SIGNING_KEY, so the app accepts only the engine's signed calls, as it would Inngest's.
export const inngest = new Inngest({ id: "access-portal" });
