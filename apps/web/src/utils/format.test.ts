import { describe, expect, it } from "vitest";
import { downloadCommand, formatSize } from "./format";

describe("format", () => {
  it("formats SI sizes", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(999)).toBe("999 B");
    expect(formatSize(1500)).toBe("1.5 kB");
    expect(formatSize(2_500_000_000)).toBe("2.5 GB");
    expect(formatSize(null)).toBe("—");
  });

  it("builds the exact dandi download command", () => {
    expect(downloadCommand("000123")).toBe("dandi download DANDI:000123");
    expect(downloadCommand("000123", "draft")).toBe("dandi download DANDI:000123");
    expect(downloadCommand("000123", "0.240101.1200")).toBe("dandi download DANDI:000123/0.240101.1200");
    // Any other deployment: the API URL form, which the CLI resolves through that server.
    expect(downloadCommand("000123", "draft", "https://archive.example.org/")).toBe(
      "dandi download https://archive.example.org/api/dandisets/000123/versions/draft/",
    );
    expect(downloadCommand("000123", "0.240101.1200", "http://localhost:8000")).toBe(
      "dandi download http://localhost:8000/api/dandisets/000123/versions/0.240101.1200/",
    );
  });
});
