// What the page someone was sent to sign in for is about, so the sign-in page can say so. Only the
// path is read: nothing about the request itself is shown before sign-in (a forwarded link must not
// tell a stranger who asked for what).

export type SignInPurpose = { title: string; detail: string };

const PURPOSES: { match: RegExp; purpose: SignInPurpose }[] = [
  {
    match: /^\/approve\/[^/]+/,
    purpose: {
      title: "Sign in to decide an access request",
      detail:
        "You opened an approval link from an email. Sign in as the person it was sent to: you then see who asked for what and why, and confirm your decision. The link works once and expires 72 hours after it was sent.",
    },
  },
  { match: /^\/requests\/[^/]+/, purpose: { title: "Sign in to see this request", detail: "Sign in to follow the request: its approvals, provisioning and history." } },
  { match: /^\/tasks\/[^/]+/, purpose: { title: "Sign in to work this task", detail: "Sign in as a provisioner of the app to see the task and mark it done." } },
  { match: /^\/approvals/, purpose: { title: "Sign in to your approvals", detail: "Sign in to see the requests waiting for your decision." } },
];

export function signInPurpose(returnTo: string): SignInPurpose | null {
  const path = returnTo.split(/[?#]/)[0] ?? "";
  return PURPOSES.find((p) => p.match.test(path))?.purpose ?? null;
}
