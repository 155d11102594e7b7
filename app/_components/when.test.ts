import { describe, expect, it } from "vitest";
import { relativeTime } from "./when";

const now = Date.UTC(2026, 11, 5, 12, 0);

describe("relativeTime", () => {
  it("says now for anything within about a minute, whichever side", () => {
    expect(relativeTime(new Date(now + 30_000), now)).toBe("now");
    expect(relativeTime(new Date(now - 50_000), now)).toBe("now");
  });

  it("uses the largest whole unit, in the reader's language", () => {
    expect(relativeTime(new Date(now - 3 * 3_600_000), now)).toBe("3 hours ago");
    expect(relativeTime(new Date(now + 86_400_000), now)).toBe("tomorrow");
    expect(relativeTime(new Date(now + 5 * 86_400_000), now, "de-DE")).toBe("in 5 Tagen");
    expect(relativeTime(new Date(now - 90 * 86_400_000), now)).toBe("3 months ago");
  });
});
