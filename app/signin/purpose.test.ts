import { describe, expect, it } from "vitest";
import { signInPurpose } from "@/app/signin/purpose";

describe("the sign-in page says what it is for", () => {
  it("names an approval link's purpose without anything about the request", () => {
    const purpose = signInPurpose("/approve/abc.def?x=1");
    expect(purpose?.title).toBe("Sign in to decide an access request");
    expect(purpose?.detail).toContain("expires 72 hours");
  });

  it("names requests and tasks, and says nothing special for the catalog", () => {
    expect(signInPurpose("/requests/clx1")?.title).toBe("Sign in to see this request");
    expect(signInPurpose("/tasks/t1")?.title).toBe("Sign in to work this task");
    expect(signInPurpose("/")).toBeNull();
    expect(signInPurpose("/approvex/1")).toBeNull();
  });
});
