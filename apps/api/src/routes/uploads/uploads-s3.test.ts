import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import request from "supertest";
import { computeDandiEtag } from "@dandi/core";
import { buildUser } from "@dandi/testing";
import { createDandiset, defineUploadProtocolTests, startUploadTestServer } from "./uploads.cases";

const ctx = await startUploadTestServer("s3");
defineUploadProtocolTests("s3", () => ctx);

it("presigns S3 UploadPart for 7 days with the Content-Length signed", async () => {
  const { user, token } = await buildUser(ctx.prisma);
  const { identifier } = await createDandiset(ctx.prisma, [user.id]);
  const data = randomBytes(123);
  const init = await request(ctx.app)
    .post("/api/uploads/initialize/")
    .set("Authorization", `token ${token}`)
    .send({
      contentSize: 123,
      digest: { algorithm: "dandi:dandi-etag", value: computeDandiEtag(data) },
      dandiset: identifier,
    })
    .expect(200);
  expect(init.body.parts).toHaveLength(1);
  const url = new URL(init.body.parts[0].upload_url);
  expect(url.searchParams.get("X-Amz-Expires")).toBe("604800");
  expect(url.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toContain("content-length");
  expect(url.searchParams.get("partNumber")).toBe("1");
});

it("asks S3 for a Latin-1-safe Content-Disposition, with filename* for other names", async () => {
  const url = new URL(
    await ctx.deps.storage.presignGet("blobs/abc/def/x", { filename: "naïve.nwb", disposition: "inline" }),
  );
  expect(url.searchParams.get("response-content-disposition")).toBe(
    `inline; filename="na_ve.nwb"; filename*=UTF-8''na%C3%AFve.nwb`,
  );
  expect(url.searchParams.get("X-Amz-Expires")).toBe("21600");
});
