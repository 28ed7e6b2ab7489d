import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "./context";

const ctx = await createTestContext();

describe("methods a route lacks", () => {
  it("answer DRF's 405 with an Allow header, after the permission check", async () => {
    const { token } = await buildUser(ctx.prisma);
    const auth = { Authorization: `token ${token}` };
    const created = await request(ctx.app)
      .post("/api/dandisets/")
      .set(auth)
      .send({ name: "x", metadata: {} })
      .expect(200);
    const id = created.body.identifier as string;

    const patch = await request(ctx.app).patch(`/api/dandisets/${id}/`).set(auth).send({}).expect(405);
    expect(patch.body).toEqual({ detail: 'Method "PATCH" not allowed.' });
    expect(patch.headers.allow?.split(", ").sort()).toEqual(["DELETE", "GET", "HEAD", "OPTIONS"]);

    const info = await request(ctx.app).post("/api/info/").set(auth).expect(405);
    expect(info.body).toEqual({ detail: 'Method "POST" not allowed.' });
    expect(info.headers.allow).toBe("GET, HEAD, OPTIONS");
    expect((await request(ctx.app).get("/api/uploads/initialize/").expect(405)).headers.allow).toBe("POST, OPTIONS");
    // IsApprovedOrReadOnly comes first, as in DRF: anonymous writes are 401.
    await request(ctx.app).post("/api/info/").expect(401);
  });

  it("leave unknown paths to the 404", async () => {
    expect((await request(ctx.app).get("/api/nothing-here/").expect(404)).body).toEqual({ detail: "Not found." });
    const { token } = await buildUser(ctx.prisma);
    await request(ctx.app)
      .put("/api/nothing-here/")
      .set({ Authorization: `token ${token}` })
      .expect(404);
  });
});
