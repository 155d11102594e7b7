import { headers } from "next/headers";

const FALLBACK = "en-GB";

/** The first language in an Accept-Language header (by q weight) that this runtime can format, else en-GB. */
export function pickLocale(acceptLanguage: string | null): string {
  if (!acceptLanguage) return FALLBACK;
  const ranked = acceptLanguage
    .split(",")
    .slice(0, 20)
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.trim().slice(2) ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((l) => l.tag && l.tag !== "*" && l.q > 0 && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l.tag))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // Not a well-formed tag after all: try the next.
    }
  }
  return FALLBACK;
}

/** The reader's locale, from this request's Accept-Language. */
export async function requestLocale(): Promise<string> {
  return pickLocale((await headers()).get("accept-language"));
}
