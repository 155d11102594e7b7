import { describe, expect, it } from "vitest";
import { parseHrCsv } from "./csv";
import { hrRecordSchema } from "./record";

describe("the HR CSV", () => {
  it("reads a header in any order and spelling, rows by line (a quoted value may span lines), and names unknown columns", () => {
    const parsed = parseHrCsv('\uFEFFStatus,Email,Manager Email,employeeId,Cost Center\r\nactive,a@example.com,m@example.com,E-1,CC\r\n\r\nleave,"b@example.com",,E-2,"multi\nline"\nterminated,c@example.com\n');
    expect(parsed.fatal).toBeUndefined();
    expect(parsed.unknownColumns).toEqual(["Cost Center"]);
    expect(parsed.rows).toEqual([
      { line: 2, status: "active", email: "a@example.com", managerEmail: "m@example.com", employeeId: "E-1" },
      { line: 4, status: "leave", email: "b@example.com", managerEmail: "", employeeId: "E-2" },
    ]);
    expect(parsed.badRows).toEqual([{ line: 6, message: expect.stringMatching(/2 values but the header has 5 columns/) }]);
  });

  it("refuses a file without a header, without the required columns, or with a quote never closed", () => {
    expect(parseHrCsv("").fatal).toMatch(/The file is empty/);
    expect(parseHrCsv("a@example.com,Ada,active\n").fatal).toMatch(/looks like a person's row/);
    expect(parseHrCsv("email,name\n").fatal).toMatch(/no status column/);
    expect(parseHrCsv('email,status\na@example.com,"active\n').fatal).toMatch(/^Line \d+: the file is not valid CSV/);
    expect(parseHrCsv("email,status,email\n").fatal).toMatch(/email appears twice/);
  });
});

describe("an HR record", () => {
  it("keeps emails as sent (trimmed), normalises statuses; empty cells clear, a missing name stays", () => {
    expect(hrRecordSchema.parse({ email: " Ada@Example.com ", name: "", title: "", status: "Leave" })).toEqual({ email: "Ada@Example.com", title: null, status: "leave" });
  });

  it("explains each problem", () => {
    const result = hrRecordSchema.safeParse({ email: "nope", status: "gone", managerEmail: "x" });
    expect(result.error?.issues.map((i) => i.message)).toEqual([
      "The email is not a valid address, e.g. ada@example.com.",
      "The manager's email is not a valid address.",
      "The status must be active, leave or terminated.",
    ]);
  });
});
