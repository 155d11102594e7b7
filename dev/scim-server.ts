import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import SCIMMYRouters from "scimmy-routers";
import { createFaultControl, faultCommandSchema, faultMiddleware, scimErrorBody, type FaultControl } from "./scim-faults";
import { InvalidFilterError, parseFilter } from "./scim-filter";
import { listenOn } from "./listen";
import { fastReads } from "./scim-read";
import { declareScimResources, ScimStore, type ScimRecord, type ScimSeed } from "./scim-store";

// A real SCIM 2.0 service provider (RFC 7643/7644) kept in memory: the stand-in for a target app such as
// GitHub or Figma in tests and the demo. scimmy does the protocol; this file closes the gaps listed in
// RECIPES.md (auth, filter validation, Location header) and adds fault injection. GETs of users and groups
// are answered by dev/scim-read.ts, fast enough to page 100,000 users; state.load fills the target in bulk.

export const SCIM_BASE_PATH = "/scim/v2";

export interface ScimServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Bearer token clients must send; a random one when omitted. */
  token?: string;
  /** Groups that exist from the start, by displayName. */
  groups?: string[];
  /** A JSON file that keeps the target's users and groups across restarts; in memory only without it. */
  dataFile?: string;
  /** The most resources one list page holds, whatever `count` asks for (real targets cap it too); 1000 by default. */
  maxPageSize?: number;
}

export interface ScimServerState {
  users(): ScimRecord[];
  groups(): ScimRecord[];
  /** userNames of the group's members, in membership order (duplicates kept, so tests can see them). */
  membersOf(displayName: string): string[];
  /** Puts many users and groups in at once, without HTTP (for tests and the bench); returns them with their ids. */
  load(seed: ScimSeed): { users: ScimRecord[]; groups: ScimRecord[] };
}

export interface ScimServer {
  /** e.g. http://127.0.0.1:4010/scim/v2 */
  baseUrl: string;
  token: string;
  faults: FaultControl;
  state: ScimServerState;
  stop(): Promise<void>;
}

export async function startScimServer(options: ScimServerOptions = {}): Promise<ScimServer> {
  declareScimResources();
  const token = options.token ?? randomBytes(16).toString("hex");
  const store = new ScimStore(options.dataFile);
  const existing = new Set([...store.groups.values()].map((g) => String(g.displayName).toLowerCase()));
  for (const displayName of options.groups ?? []) {
    if (!existing.has(displayName.toLowerCase())) store.writeGroup(undefined, { displayName });
  }
  const faults = createFaultControl();
  const requireToken = bearerAuth(token);

  const app = express();
  app.disable("x-powered-by");
  app.use(express.json({ type: ["application/scim+json", "application/json"] }));

  // Fault control lives outside the SCIM base path so faults and "down" never block it.
  app.get("/_faults", requireToken, (_req, res) => void res.json(faults.snapshot()));
  app.delete("/_faults", requireToken, (_req, res) => void (faults.clear(), res.status(204).end()));
  app.post("/_faults", requireToken, (req, res) => {
    const command = faultCommandSchema.safeParse(req.body);
    if (!command.success) return void res.status(400).json({ error: command.error.message });
    if ("down" in command.data) faults.setDown(command.data.down);
    else faults.inject(command.data);
    res.json(faults.snapshot());
  });

  app.use(SCIM_BASE_PATH, faultMiddleware(faults), requireToken, rejectInvalidFilters, setLocationOnCreate, acceptLegacyBooleans);
  app.use(SCIM_BASE_PATH, fastReads(store, SCIM_BASE_PATH, options.maxPageSize ?? 1000));
  app.use(
    SCIM_BASE_PATH,
    new SCIMMYRouters({
      type: "bearer",
      handler: () => "scim-client", // requireToken has already authenticated the caller
      context: () => store,
    }),
  );
  app.use(scimErrorHandler);

  const server = createServer(app);
  const origin = await listenOn(server, options.port, options.host);

  return {
    baseUrl: `${origin}${SCIM_BASE_PATH}`,
    token,
    faults,
    state: {
      users: () => [...store.users.values()].map((user) => structuredClone(user)),
      groups: () => [...store.groups.values()].map((group) => structuredClone(group)),
      membersOf(displayName) {
        const wanted = displayName.toLowerCase();
        const group = [...store.groups.values()].find((g) => String(g.displayName).toLowerCase() === wanted);
        if (!group) throw new Error(`No group named ${displayName}`);
        return (group.members as Array<{ value: string }>).map((m) => String(store.users.get(m.value)?.userName));
      },
      load: (seed) => store.load(seed),
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        store.flush();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // includes requests held open by a "hang" fault
      }),
  };
}

// Errors raised outside scimmy's router (e.g. a malformed JSON body) get a SCIM error body too. scimmy's router
// answers its own 5xx and then passes them on, so those only need logging.
function scimErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const status = (error as { status?: unknown }).status;
  const code = typeof status === "number" && status >= 400 && status < 600 ? status : 500;
  if (code >= 500) console.error("SCIM target failed:", error);
  if (res.headersSent) return;
  const detail = error instanceof Error ? error.message : String(error);
  res.status(code).type("application/scim+json").send(scimErrorBody(code, detail, code === 400 ? "invalidSyntax" : undefined));
}

function bearerAuth(token: string): RequestHandler {
  const expected = `Bearer ${token}`;
  return (req, res, next) => {
    if (req.header("authorization") === expected) return next();
    res.setHeader("WWW-Authenticate", 'Bearer realm="scim"');
    res.status(401).type("application/scim+json").send(scimErrorBody(401, "Missing or invalid bearer token"));
  };
}

// scimmy answers some malformed filters with 200 and an empty list, and others with a 500.
function rejectInvalidFilters(req: Request, res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  const filter = req.method === "GET" ? req.query.filter : (body as { filter?: unknown } | undefined)?.filter;
  if (typeof filter !== "string") return next();
  try {
    parseFilter(filter);
    next();
  } catch (error) {
    if (!(error instanceof InvalidFilterError)) return next(error);
    res.status(400).type("application/scim+json").send(scimErrorBody(400, error.message, "invalidFilter"));
  }
}

// RFC 7644 §3.3: a 201 carries the new resource's URI in Location; scimmy leaves it out.
function setLocationOnCreate(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== "POST") return next();
  const send = res.send.bind(res);
  res.send = (body) => {
    res.send = send;
    const location = (body as { meta?: { location?: unknown } } | undefined)?.meta?.location;
    if (res.statusCode === 201 && typeof location === "string") {
      res.location(new URL(location, `${req.protocol}://${req.get("host")}`).href);
    }
    return send(body);
  };
  next();
}

/** Boolean attributes of the User and Group schemas (RFC 7643 §4): active and the multi-valued attributes' primary. */
const BOOLEAN_ATTRIBUTES = new Set(["active", "primary"]);
const legacyBoolean = (value: unknown) => (typeof value === "string" && /^(true|false)$/i.test(value.trim()) ? value.trim().toLowerCase() === "true" : value);

/** Turns "True"/"False" strings at boolean attributes into booleans, anywhere in a resource or a path-less PATCH value. */
function booleansIn(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(booleansIn);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      // Keys may be full paths ("urn:…:User:active", "emails[type eq \"work\"].primary"): the last attribute decides.
      const last = key.replace(/\[.*?\]/g, "").split(/[.:]/).pop()?.toLowerCase() ?? "";
      return [key, BOOLEAN_ATTRIBUTES.has(last) ? legacyBoolean(v) : booleansIn(v)];
    }),
  );
}

// Entra ID's provisioning sends {"op": "Replace", "path": "active", "value": "False"} unless the tenant opts into
// its SCIM-compliant behaviour (learn.microsoft.com, application-provisioning-config-problem-scim-compatibility).
// scimmy types strictly and answers 400, so a real target that accepts Entra ID is modelled by coercing first.
function acceptLegacyBooleans(req: Request, _res: Response, next: NextFunction): void {
  const body: unknown = req.body;
  if (!["POST", "PUT", "PATCH"].includes(req.method) || typeof body !== "object" || body === null) return next();
  const operations = (body as { Operations?: unknown }).Operations;
  if (req.method === "PATCH" && Array.isArray(operations)) {
    (body as { Operations: unknown[] }).Operations = operations.map((operation) => {
      if (typeof operation !== "object" || operation === null) return operation;
      const { path, value } = operation as { path?: unknown; value?: unknown };
      if (typeof path !== "string" || !path.trim()) return { ...operation, value: booleansIn(value) };
      const last = path.replace(/\[.*?\]/g, "").split(/[.:]/).pop()?.toLowerCase() ?? "";
      return { ...operation, value: BOOLEAN_ATTRIBUTES.has(last) ? legacyBoolean(value) : booleansIn(value) };
    });
  } else {
    req.body = booleansIn(body);
  }
  next();
}
