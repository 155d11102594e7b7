/**
 * The path to return to after sign-in: only a path on this site. Resolving against a placeholder
 * origin catches the tricks ("//evil.com", "/\evil.com", "/<TAB>/evil.com") a prefix check misses.
 */
export function safeReturn(url: string | undefined): string {
  if (!url) return "/";
  try {
    const resolved = new URL(url, "http://portal.invalid");
    return resolved.origin === "http://portal.invalid" ? `${resolved.pathname}${resolved.search}` : "/";
  } catch {
    return "/";
  }
}
