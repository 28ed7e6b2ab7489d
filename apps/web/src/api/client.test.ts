import { describe, expect, it } from "vitest";
import { apiUrl, describeError } from "./client";

describe("describeError", () => {
  it("reads each of DANDI's error shapes", () => {
    expect(describeError(404, { detail: "Not found." })).toBe("Not found.");
    expect(describeError(405, "Only draft versions can be modified.")).toBe("Only draft versions can be modified.");
    expect(describeError(400, ["Cannot remove all draft owners"])).toBe("Cannot remove all draft owners");
    expect(describeError(400, { name: ["This field is required."], non_field_errors: ["Bad."] })).toBe(
      "name: This field is required.; Bad.",
    );
    expect(describeError(500, null)).toBe("Request failed (500).");
    expect(describeError(0, null)).toMatch(/could not be reached/);
  });
});

describe("apiUrl", () => {
  it("joins paths under /api and drops empty query values", () => {
    const url = new URL(apiUrl("/dandisets/", { page: 2, search: "", user: undefined, draft: false, tag: ["a", "b"] }));
    expect(url.pathname).toBe("/api/dandisets/");
    expect(url.search).toBe("?page=2&draft=false&tag=a&tag=b");
  });
});
