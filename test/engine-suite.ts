import { afterAll, beforeAll } from "vitest";
import { startScimServer, type ScimServer, type ScimServerOptions } from "@/dev/scim-server";
import type { LocalEngineOptions } from "@/inngest/engine";
import { startEngineHarness, type EngineHarness } from "@/test/engine-harness";
import { startCountingProxy, type CountingProxy } from "@/test/faults/counting-proxy";
import { demoDatabase, type DemoDatabase } from "@/test/fixtures";

// The setup most engine and fault tests share: a SCIM target that the demo apps provision into, the demo
// database seeded against it, and the engine harness, started before a file's tests and stopped after them.

export interface ScimEngine {
  scim: ScimServer;
  demo: DemoDatabase;
  harness: EngineHarness;
  /** Between the portal and the SCIM target, when asked for with `proxy`. */
  proxy: CountingProxy;
}

export interface ScimEngineOptions {
  /** Settings the functions or the engine read at start (e.g. INNGEST_MAX_SLEEP); set first, restored after. */
  env?: Record<string, string>;
  scim?: ScimServerOptions;
  /** Put a counting proxy in front of the SCIM target, so a test can count the requests that reach it. */
  proxy?: boolean;
  /** Retry settings for every connector, e.g. a short backoff so the retry tests take seconds. */
  connectors?: { backoffMs?: number; maxAttempts?: number; outageWindowSeconds?: number };
  limits?: LocalEngineOptions["limits"];
  /** false: the hourly syncs and other crons never fire, so the test starts every run itself. */
  crons?: boolean;
}

/**
 * Registers the file's beforeAll/afterAll for a SCIM target, the demo database and the engine harness; `use`
 * gets them once started, e.g. `useScimEngine({}, (started) => ({ demo, harness, scim } = started))`.
 */
export function useScimEngine(options: ScimEngineOptions, use: (started: ScimEngine) => void): void {
  const started: Partial<ScimEngine> = {};
  const previous: Record<string, string | undefined> = {};

  beforeAll(async () => {
    for (const [name, value] of Object.entries(options.env ?? {})) {
      previous[name] = process.env[name];
      process.env[name] = value;
    }
    const scim = (started.scim = await startScimServer(options.scim));
    if (options.proxy) started.proxy = await startCountingProxy(scim.baseUrl);
    const demo = (started.demo = await demoDatabase({ baseUrl: started.proxy?.url ?? scim.baseUrl, token: scim.token }));
    if (options.connectors) await demo.db.connector.updateMany({ data: options.connectors });
    started.harness = await startEngineHarness(demo, { limits: options.limits, crons: options.crons });
    use(started as ScimEngine);
  });

  afterAll(async () => {
    await started.harness?.stop();
    await started.demo?.close();
    await started.proxy?.stop();
    await started.scim?.stop();
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}
