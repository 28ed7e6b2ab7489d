import { describe, expect, it } from "vitest";
import request from "supertest";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();

describe("GET /api/info/", () => {
  it("serves every key the dandi CLI reads", async () => {
    const res = await request(ctx.app).get("/api/info/").expect(200);
    expect(res.body.services.api.url).toBe("http://api.test/api");
    expect(res.body.services.webui.url).toBe("http://web.test");
    expect(res.body.schema_version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(res.body.allowed_schema_versions).toContain(res.body.schema_version);
    expect(res.body["cli-minimal-version"]).toBe("0.74.0");
    expect(res.body["cli-bad-versions"]).toEqual([]);
    expect(res.body.instance_config).toMatchObject({
      instance_name: "DANDI",
      instance_url: "http://web.test/",
      licenses: ["spdx:CC0-1.0", "spdx:CC-BY-4.0"],
    });
    expect(res.body.schema_url).toBe("http://api.test/api/schemas/?model=Dandiset");
  });

  it("redirects the slash-less path with its query string", async () => {
    const res = await request(ctx.app).get("/api/info?format=json").expect(301);
    expect(res.headers.location).toBe("/api/info/?format=json");
  });

  it("answers /server-info with the same document", async () => {
    const [a, b] = await Promise.all([request(ctx.app).get("/server-info"), request(ctx.app).get("/api/info/")]);
    expect(a.body).toEqual(b.body);
  });

  it("serves the schema of each model and rejects unknown ones", async () => {
    const res = await request(ctx.app).get("/api/schemas/?model=Dandiset").expect(200);
    expect(res.body.title).toBe("Dandiset");
    expect((await request(ctx.app).get("/api/schemas/?model=Nope").expect(400)).body).toEqual({
      model: ['"Nope" is not a valid choice.'],
    });
    expect((await request(ctx.app).get("/api/schemas/").expect(400)).body).toEqual({
      model: ["This field is required."],
    });
  });

  it("answers unknown routes with DRF's 404", async () => {
    const res = await request(ctx.app).get("/api/nothing-here/").expect(404);
    expect(res.body).toEqual({ detail: "Not found." });
  });
});
