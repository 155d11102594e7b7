// Starts the portal for the e2e suite exactly as `npm start` does, on a fresh database.
import { startFreshPortal } from "../scripts/lib/fresh-portal";
import { e2e } from "./settings";

async function main() {
  const portal = await startFreshPortal({
    name: "e2e",
    port: e2e.port,
    scimPort: e2e.scimPort,
    scimToken: e2e.scimToken,
    enginePort: e2e.enginePort,
    embedded: { dataDir: ".data/pg-e2e", port: 54331 },
  });
  const stop = () => void portal.stop().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  const code = await portal.exited;
  await portal.stop();
  process.exit(code);
}

void main();
