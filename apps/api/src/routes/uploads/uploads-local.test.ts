import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import request from "supertest";
import { computeDandiEtag } from "@dandi/core";
import { buildUser } from "@dandi/testing";
import { createDandiset, defineUploadProtocolTests, startUploadTestServer } from "./uploads.cases";

const ctx = await startUploadTestServer("local");
defineUploadProtocolTests("local", () => ctx);

it("rejects tampered and wrongly sized part URLs handed out by initialize", async () => {
  const { user, token } = await buildUser(ctx.prisma);
  const { identifier } = await createDandiset(ctx.prisma, [user.id]);
  const data = randomBytes(10);
  const init = await request(ctx.app)
    .post("/api/uploads/initialize/")
    .set("Authorization", `token ${token}`)
    .send({
      contentSize: 10,
      digest: { algorithm: "dandi:dandi-etag", value: computeDandiEtag(data) },
      dandiset: identifier,
    })
    .expect(200);
  const url: string = init.body.parts[0].upload_url;
  expect((await fetch(url.replace("length=10", "length=11"), { method: "PUT", body: randomBytes(11) })).status).toBe(
    403,
  );
  expect((await fetch(url, { method: "PUT", body: randomBytes(11) })).status).toBe(403);
  const expires = /expires=(\d+)/.exec(url)![1]!;
  expect(
    (await fetch(url.replace(`expires=${expires}`, `expires=${Number(expires) + 1}`), { method: "PUT", body: data }))
      .status,
  ).toBe(403);
  expect((await fetch(url, { method: "PUT", body: data })).status).toBe(200);
});
