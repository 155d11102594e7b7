import { Inngest } from "inngest";

// In production this talks to Inngest (Cloud or self-hosted) using INNGEST_EVENT_KEY,
// INNGEST_SIGNING_KEY and INNGEST_BASE_URL. On one machine `npm start` sets INNGEST_DEV=1 and points
// INNGEST_BASE_URL at the local engine (inngest/engine), which runs the same functions.
export const inngest = new Inngest({ id: "access-portal" });
