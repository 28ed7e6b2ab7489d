import { describe, expect, it } from "vitest";
import { loadConfig } from "@dandi/core";
import { upsertSchedules } from "../src/schedules";
import { createWorkerTestContext } from "./context";

const ctx = await createWorkerTestContext({ STATS_REFRESH_INTERVAL: "900" });

describe("STATS_REFRESH_INTERVAL", () => {
  it("is the period of the computeStats scheduler", async () => {
    await upsertSchedules(ctx.deps, ["default"]);
    const schedulers = await ctx.deps.jobs.queue("default").getJobSchedulers();
    expect(schedulers.find((s) => s.name === "computeStats")?.every).toBe(900_000);
  });

  it("defaults to 6 hours and refuses less than a minute", () => {
    const base = { DATABASE_URL: "postgresql://x@127.0.0.1/db", SESSION_SECRET: "s".repeat(40) };
    expect(loadConfig(base).STATS_REFRESH_INTERVAL).toBe(6 * 3600);
    expect(() => loadConfig({ ...base, STATS_REFRESH_INTERVAL: "10" })).toThrow(/STATS_REFRESH_INTERVAL/);
  });
});
