import { startScimServer } from "@/dev/scim-server";
import { readerFor } from "@/server/reconciliation/readers";
const N = 100_000;
const t = await startScimServer({ token: "t" });
let t0 = performance.now();
const users = Array.from({ length: N }, (_, i) => ({
  userName: `user${i}@example.com`, externalId: `ext${i}`, active: i % 10 !== 0,
  name: { givenName: `Given${i}`, familyName: `Family${i}` }, title: "Engineer", displayName: `Given${i} Family${i}`,
  emails: [{ value: `user${i}@example.com`, type: "work", primary: true }],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { department: "R&D", manager: { value: "m" } },
}));
const { users: loaded } = t.state.load({ users });
t.state.load({ groups: Array.from({ length: 20 }, (_, g) => ({ displayName: `group${g}`, members: loaded.slice(g * 5000, g * 5000 + 10000).map((u) => u.id) })) });
console.log("load", Math.round(performance.now() - t0), "ms");
const r = readerFor({ id: "x", method: "SCIM", config: { baseUrl: t.baseUrl, token: "t" }, maxAttempts: 3, backoffMs: 100, retryableStatuses: [] });
if (!r.readable) throw new Error(r.reason);
for (let run = 0; run < 3; run++) {
  t0 = performance.now();
  let a = 0;
  for await (const page of r.reader.accounts()) a += page.length;
  const t1 = performance.now();
  const groups = [];
  for await (const page of r.reader.groups()) groups.push(...page);
  let m = 0;
  for await (const page of r.reader.memberships(groups)) m += page.length;
  console.log(`run ${run}: accounts ${a} in ${Math.round(t1 - t0)} ms; groups ${groups.length} memberships ${m} in ${Math.round(performance.now() - t1)} ms`);
}
await t.stop();
