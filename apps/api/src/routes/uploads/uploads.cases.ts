import { createHash, randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import type { EmbargoStatus, PrismaClient } from "@dandi/db";
import { blobKey, computeDandiEtag, planEtagParts } from "@dandi/core";
import { buildUser, findFreePort, startMotoServer } from "@dandi/testing";
import { createTestContext, type TestContext } from "../../../test/context";

const MiB = 1024 * 1024;
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

/**
 * The upload protocol end to end, against a listening server so that every
 * presigned URL is used over real HTTP with fetch, as the dandi CLI does.
 * Shared by the local-disk and the S3 (moto_server) test files.
 */
export async function startUploadTestServer(backend: "local" | "s3"): Promise<TestContext> {
  const port = await findFreePort();
  const env: Record<string, string> = { DANDI_API_URL: `http://127.0.0.1:${port}` };
  if (backend === "s3") {
    const moto = await startMotoServer();
    afterAll(() => moto.stop());
    Object.assign(env, moto.env);
  }
  const ctx = await createTestContext(env);
  const server: Server = await new Promise((resolve) => {
    const s = ctx.app.listen(port, "127.0.0.1", () => resolve(s));
  });
  // As server.ts: a keep-alive socket the server closes just as fetch reuses it would be an ECONNRESET on a busy machine.
  server.keepAliveTimeout = 65_000;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return ctx;
}

export async function createDandiset(prisma: PrismaClient, ownerIds: number[], embargoStatus: EmbargoStatus = "OPEN") {
  const dandiset = await prisma.dandiset.create({
    data: {
      embargoStatus,
      embargoEndDate: embargoStatus === "OPEN" ? null : new Date("2030-01-01"),
      owners: { create: ownerIds.map((userId) => ({ userId })) },
      versions: { create: { version: "draft", name: "Test", metadata: { schemaVersion: "0.7.0" } } },
    },
    include: { versions: true },
  });
  return { dandiset, identifier: String(dandiset.id).padStart(6, "0"), draftId: dandiset.versions[0]!.id };
}

/** Puts an asset on `blobPk` into a version, as the assets routes would. */
async function attachBlob(prisma: PrismaClient, versionId: number, blobPk: bigint, path: string) {
  const asset = await prisma.asset.create({
    data: { assetId: crypto.randomUUID(), path, blobId: blobPk, metadata: { schemaVersion: "0.7.0" } },
  });
  await prisma.versionAsset.create({ data: { versionId, assetId: asset.id, path, created: asset.created } });
}

type UploadedBlob = { blob_id: string; etag: string; sha256: null; size: number };

export function defineUploadProtocolTests(backend: "local" | "s3", getCtx: () => TestContext) {
  let ctx: TestContext;
  let owner: { user: { id: number }; token: string };
  let other: { user: { id: number }; token: string };
  let admin: { user: { id: number }; token: string };
  let open: Awaited<ReturnType<typeof createDandiset>>;
  let otherOpen: Awaited<ReturnType<typeof createDandiset>>;
  let embargoed: Awaited<ReturnType<typeof createDandiset>>;

  const post = (path: string, token?: string) => {
    const r = request(ctx.app).post(path);
    return token ? r.set("Authorization", `token ${token}`) : r;
  };

  function initialize(token: string, dandiset: string, data: Buffer, etag = computeDandiEtag(data)) {
    return post("/api/uploads/initialize/", token).send({
      contentSize: data.length,
      digest: { algorithm: "dandi:dandi-etag", value: etag },
      dandiset,
    });
  }

  /** PUT every part to its URL (fetch, raw body), then complete: what the CLI does between initialize and validate. */
  async function transfer(
    token: string,
    init: { upload_id: string; parts: { part_number: number; size: number; upload_url: string }[] },
    data: Buffer,
  ) {
    const done: { part_number: number; size: number; etag: string }[] = [];
    let offset = 0;
    for (const part of init.parts) {
      const chunk = data.subarray(offset, offset + part.size);
      offset += part.size;
      const res = await fetch(part.upload_url, { method: "PUT", body: new Uint8Array(chunk) });
      expect(res.status).toBe(200);
      const etag = res.headers.get("etag")!.replace(/"/g, "");
      expect(etag).toBe(md5(chunk));
      done.push({ part_number: part.part_number, size: part.size, etag });
    }
    const complete = await post(`/api/uploads/${init.upload_id}/complete/`, token)
      .send({ parts: [...done].reverse() })
      .expect(200);
    const res = await fetch(complete.body.complete_url, { method: "POST", body: complete.body.body });
    const xml = await res.text();
    expect(res.status, xml).toBe(200);
    return /<ETag>(?:&quot;|")?([0-9a-f]{32}-\d+)(?:&quot;|")?<\/ETag>/.exec(xml)?.[1];
  }

  async function uploadBlob(token: string, dandiset: string, data: Buffer): Promise<UploadedBlob> {
    const init = await initialize(token, dandiset, data).expect(200);
    await transfer(token, init.body, data);
    return (await post(`/api/uploads/${init.body.upload_id}/validate/`, token).expect(200)).body;
  }

  beforeAll(async () => {
    ctx = getCtx();
    owner = await buildUser(ctx.prisma);
    other = await buildUser(ctx.prisma);
    admin = await buildUser(ctx.prisma, { isSuperuser: true });
    open = await createDandiset(ctx.prisma, [owner.user.id]);
    otherOpen = await createDandiset(ctx.prisma, [other.user.id]);
    embargoed = await createDandiset(ctx.prisma, [owner.user.id], "EMBARGOED");
  });

  describe(`upload protocol on ${backend} storage`, () => {
    it.each([
      ["10 B", 10],
      ["10 MiB", 10 * MiB],
      ["70 MiB", 70 * MiB],
    ])("uploads %s through initialize, part PUTs, complete and validate", async (_label, size) => {
      const data = randomBytes(size);
      const etag = computeDandiEtag(data);
      const init = await initialize(owner.token, open.identifier, data).expect(200);
      const plan = planEtagParts(size);
      expect(init.body.parts.map((p: { part_number: number; size: number }) => [p.part_number, p.size])).toEqual(
        plan.map((p) => [p.partNumber, p.size]),
      );
      const upload = await ctx.prisma.upload.findUniqueOrThrow({ where: { uploadId: init.body.upload_id } });
      expect(upload.key).toBe(blobKey(init.body.upload_id));
      expect(upload.embargoed).toBe(false);

      expect(await transfer(owner.token, init.body, data)).toBe(etag);
      const blob = await post(`/api/uploads/${init.body.upload_id}/validate/`, owner.token).expect(200);
      expect(blob.body).toEqual({ blob_id: init.body.upload_id, etag, sha256: null, size });
      expect(await ctx.prisma.upload.count({ where: { uploadId: init.body.upload_id } })).toBe(0);
      const row = await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { blobId: init.body.upload_id } });
      expect(row).toMatchObject({ key: upload.key, etag, size: BigInt(size), embargoed: false });
      expect(await ctx.deps.storage.headObject(upload.key)).toEqual({ size, etag });

      // The download URL the assets routes hand out: Range and Content-Disposition.
      const url = await ctx.deps.storage.presignGet(upload.key, { filename: "data.nwb" });
      const ranged = await fetch(url, { headers: { Range: "bytes=3-" } });
      expect(ranged.status).toBe(206);
      if (backend === "local") {
        expect(ranged.headers.get("content-disposition")).toBe('attachment; filename="data.nwb"');
      } else {
        // moto_server ignores response-* overrides (AWS honours them): check that the URL asks for it.
        expect(new URL(url).searchParams.get("response-content-disposition")).toBe('attachment; filename="data.nwb"');
      }
      expect(Buffer.compare(Buffer.from(await ranged.arrayBuffer()), data.subarray(3))).toBe(0);
    });

    it("re-signs the parts of an open upload: a resumed upload keeps its id and its stored parts", async () => {
      const data = randomBytes(70 * MiB);
      const init = await initialize(owner.token, open.identifier, data).expect(200);
      const [first] = init.body.parts as { part_number: number; size: number; upload_url: string }[];
      // Part 1 goes up with initialize's URL; then the client comes back (a reload) and asks for fresh URLs.
      const put1 = await fetch(first!.upload_url, {
        method: "PUT",
        body: new Uint8Array(data.subarray(0, first!.size)),
      });
      expect(put1.status).toBe(200);
      const etag1 = put1.headers.get("etag")!.replace(/"/g, "");

      const fresh = await post(`/api/uploads/${init.body.upload_id}/parts/`, owner.token).expect(200);
      expect(fresh.body.upload_id).toBe(init.body.upload_id);
      expect(fresh.body.parts.map((p: { part_number: number; size: number }) => [p.part_number, p.size])).toEqual(
        planEtagParts(data.length).map((p) => [p.partNumber, p.size]),
      );
      const second = fresh.body.parts[1] as { part_number: number; size: number; upload_url: string };
      const put2 = await fetch(second.upload_url, { method: "PUT", body: new Uint8Array(data.subarray(first!.size)) });
      expect(put2.status).toBe(200);
      const etag2 = put2.headers.get("etag")!.replace(/"/g, "");

      // Completing with part 1 from before the re-sign and part 2 from after it gives the whole file.
      const complete = await post(`/api/uploads/${init.body.upload_id}/complete/`, owner.token)
        .send({
          parts: [
            { part_number: 1, size: first!.size, etag: etag1 },
            { part_number: 2, size: second.size, etag: etag2 },
          ],
        })
        .expect(200);
      expect((await fetch(complete.body.complete_url, { method: "POST", body: complete.body.body })).status).toBe(200);
      const blob = await post(`/api/uploads/${init.body.upload_id}/validate/`, owner.token).expect(200);
      expect(blob.body.etag).toBe(computeDandiEtag(data));
      // Validated: the upload is gone, so are its parts.
      await post(`/api/uploads/${init.body.upload_id}/parts/`, owner.token).expect(404);
    });

    it("re-signs parts for owners only; others get 403, those who may not see the dandiset 404", async () => {
      const data = randomBytes(10);
      const init = await initialize(owner.token, open.identifier, data).expect(200);
      const res = await post(`/api/uploads/${init.body.upload_id}/parts/`, other.token).expect(403);
      expect(res.body).toEqual({ detail: "You do not have permission to perform this action." });
      await post(`/api/uploads/${init.body.upload_id}/parts/`, admin.token).expect(200);
      await post(`/api/uploads/${crypto.randomUUID()}/parts/`, owner.token).expect(404);
      await post("/api/uploads/not-a-uuid/parts/", owner.token).expect(404);
      const hidden = await initialize(owner.token, embargoed.identifier, data).expect(200);
      await post(`/api/uploads/${hidden.body.upload_id}/parts/`, other.token).expect(404);
    });

    it("tags uploads into an embargoed dandiset", async () => {
      const data = randomBytes(10);
      const init = await initialize(owner.token, embargoed.identifier, data).expect(200);
      await transfer(owner.token, init.body, data);
      await post(`/api/uploads/${init.body.upload_id}/validate/`, owner.token).expect(200);
      const row = await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { blobId: init.body.upload_id } });
      expect(row.embargoed).toBe(true);
    });

    it("answers 409 with Location for a blob the caller may read, and creates no upload", async () => {
      const data = randomBytes(10);
      const blob = await uploadBlob(owner.token, open.identifier, data);
      const before = await ctx.prisma.upload.count();
      const res = await initialize(other.token, otherOpen.identifier, data).expect(409);
      expect(res.body).toBe("Blob already exists.");
      expect(res.headers.location).toBe(blob.blob_id);
      expect(await ctx.prisma.upload.count()).toBe(before);
    });

    it("never reveals an embargoed blob to a non-owner, and dedupes it after they upload the bytes", async () => {
      const data = randomBytes(1000);
      const secret = await uploadBlob(owner.token, embargoed.identifier, data);
      const secretRow = await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { blobId: secret.blob_id } });
      await attachBlob(ctx.prisma, embargoed.draftId, secretRow.id, "secret.nwb");

      // Another user learns nothing: a normal upload, and the digest lookup is a 404.
      const init = await initialize(other.token, otherOpen.identifier, data).expect(200);
      expect(init.headers.location).toBeUndefined();
      await post("/api/blobs/digest/", other.token)
        .send({ algorithm: "dandi:dandi-etag", value: secret.etag })
        .expect(404);
      await post("/api/blobs/digest/").send({ algorithm: "dandi:dandi-etag", value: secret.etag }).expect(404);

      // Having uploaded the very bytes, they get the existing blob; their copy is dropped.
      await transfer(other.token, init.body, data);
      const res = await post(`/api/uploads/${init.body.upload_id}/validate/`, other.token).expect(200);
      expect(res.body.blob_id).toBe(secret.blob_id);
      expect(await ctx.deps.storage.headObject(blobKey(init.body.upload_id))).toBeNull();
      expect(await ctx.prisma.upload.count({ where: { uploadId: init.body.upload_id } })).toBe(0);
      expect(await ctx.prisma.assetBlob.count({ where: { etag: secret.etag } })).toBe(1);

      // Owners of a dandiset holding it, and admins, do see it.
      expect((await initialize(owner.token, open.identifier, data).expect(409)).headers.location).toBe(secret.blob_id);
      expect((await initialize(admin.token, otherOpen.identifier, data).expect(409)).headers.location).toBe(
        secret.blob_id,
      );
      await post("/api/blobs/digest/", owner.token)
        .send({ algorithm: "dandi:dandi-etag", value: secret.etag })
        .expect(200);
    });

    it("answers validate with 409 when a readable identical blob appeared meanwhile, leaving one blob", async () => {
      const data = randomBytes(10);
      const first = await initialize(owner.token, open.identifier, data).expect(200);
      const second = await initialize(owner.token, open.identifier, data).expect(200);
      await transfer(owner.token, first.body, data);
      await transfer(owner.token, second.body, data);
      await post(`/api/uploads/${first.body.upload_id}/validate/`, owner.token).expect(200);
      const res = await post(`/api/uploads/${second.body.upload_id}/validate/`, owner.token).expect(409);
      expect(res.body).toBe("An identical blob has already been uploaded.");
      expect(await ctx.prisma.upload.count({ where: { uploadId: second.body.upload_id } })).toBe(0);
      expect(await ctx.deps.storage.headObject(blobKey(second.body.upload_id))).toBeNull();
    });

    it("rejects bad initialize requests with DANDI's statuses and bodies", async () => {
      const data = randomBytes(123);
      const body = { contentSize: 123, digest: { algorithm: "dandi:dandi-etag", value: computeDandiEtag(data) } };
      const sha = await post("/api/uploads/initialize/", owner.token)
        .send({ ...body, digest: { algorithm: "dandi:sha2-256", value: "a".repeat(64) }, dandiset: open.identifier })
        .expect(400);
      expect(sha.body).toEqual(["Unsupported Digest Type"]);
      for (const dandiset of ["DANDI:abc", "DANDI:123456", "001", true]) {
        const res = await post("/api/uploads/initialize/", owner.token)
          .send({ ...body, dandiset })
          .expect(400);
        expect(res.body).toEqual({ dandiset: ["A valid Dandiset identifier is required."] });
      }
      await post("/api/uploads/initialize/", owner.token)
        .send({ ...body, dandiset: open.dandiset.id })
        .expect(200);
      await post("/api/uploads/initialize/", owner.token)
        .send({ ...body, dandiset: "999999" })
        .expect(404);
      const hidden = await post("/api/uploads/initialize/", other.token)
        .send({ ...body, dandiset: embargoed.identifier })
        .expect(404);
      expect(hidden.body).toEqual({ detail: "Not found." });
      const forbidden = await post("/api/uploads/initialize/", other.token)
        .send({ ...body, dandiset: open.identifier })
        .expect(403);
      expect(forbidden.body).toBe("Action not allowed");
      await post("/api/uploads/initialize/")
        .send({ ...body, dandiset: open.identifier })
        .expect(401);
      const zero = await post("/api/uploads/initialize/", owner.token)
        .send({ ...body, contentSize: 0, dandiset: open.identifier })
        .expect(400);
      expect(zero.body).toEqual({ contentSize: ["Ensure this value is greater than or equal to 1."] });
      const wrongTypes = await post("/api/uploads/initialize/", owner.token)
        .send({ contentSize: "many", digest: null, dandiset: open.identifier })
        .expect(400);
      expect(wrongTypes.body).toEqual({
        contentSize: ["A valid integer is required."],
        digest: ["This field may not be null."],
      });
      const missing = await post("/api/uploads/initialize/", owner.token)
        .send({ dandiset: open.identifier })
        .expect(400);
      expect(missing.body).toEqual({ contentSize: ["This field is required."], digest: ["This field is required."] });
      await post("/api/uploads/initialize/", owner.token)
        .send({
          ...body,
          contentSize: 5 * 1024 ** 4 + 1,
          digest: { algorithm: "dandi:dandi-etag", value: `${"f".repeat(32)}-10000` },
          dandiset: open.identifier,
        })
        .expect(400);
      const unembargoing = await createDandiset(ctx.prisma, [owner.user.id], "UNEMBARGOING");
      const res = await post("/api/uploads/initialize/", owner.token)
        .send({ ...body, dandiset: unembargoing.identifier })
        .expect(400);
      expect(res.body).toBe("Dandiset modification not allowed during unembargo");
      expect(await ctx.prisma.upload.count({ where: { dandisetId: unembargoing.dandiset.id } })).toBe(0);
    });

    it("builds DANDI's complete body with sorted parts, and 404s unknown or hidden uploads", async () => {
      const data = randomBytes(10);
      const init = await initialize(owner.token, embargoed.identifier, data).expect(200);
      const parts = [
        { part_number: 2, size: 5, etag: "b".repeat(32) },
        { part_number: 1, size: 5, etag: "a".repeat(32) },
      ];
      const res = await post(`/api/uploads/${init.body.upload_id}/complete/`, owner.token).send({ parts }).expect(200);
      expect(res.body.body).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
          `<Part><PartNumber>1</PartNumber><ETag>${"a".repeat(32)}</ETag></Part>` +
          `<Part><PartNumber>2</PartNumber><ETag>${"b".repeat(32)}</ETag></Part></CompleteMultipartUpload>`,
      );
      expect(res.body.complete_url).toMatch(/^http:\/\//);
      await post(`/api/uploads/${init.body.upload_id}/complete/`, other.token).send({ parts }).expect(404);
      await post(`/api/uploads/${init.body.upload_id}/validate/`, other.token).expect(404);
      await post(`/api/uploads/${crypto.randomUUID()}/complete/`, owner.token).send({ parts }).expect(404);
      await post(`/api/uploads/not-a-uuid/validate/`, owner.token).expect(404);
      const empty = await post(`/api/uploads/${init.body.upload_id}/complete/`, owner.token)
        .send({ parts: [] })
        .expect(400);
      expect(empty.body).toEqual({ parts: ["This list may not be empty."] });
    });

    it("fails validate for a missing object, keeping the upload", async () => {
      const init = await initialize(owner.token, open.identifier, randomBytes(10)).expect(200);
      const res = await post(`/api/uploads/${init.body.upload_id}/validate/`, owner.token).expect(400);
      expect(res.body).toEqual(["Object does not exist."]);
      expect(await ctx.prisma.upload.count({ where: { uploadId: init.body.upload_id } })).toBe(1);
    });

    it("fails validate on a size mismatch: no blob, no object, no upload", async () => {
      const init = await initialize(owner.token, open.identifier, randomBytes(100)).expect(200);
      const key = blobKey(init.body.upload_id);
      await ctx.deps.storage.putObject(key, Buffer.from("thirteen byte"));
      const res = await post(`/api/uploads/${init.body.upload_id}/validate/`, owner.token).expect(400);
      expect(res.body).toEqual(["Size 100 does not match actual size 13."]);
      expect(await ctx.deps.storage.headObject(key)).toBeNull();
      expect(await ctx.prisma.upload.count({ where: { uploadId: init.body.upload_id } })).toBe(0);
      expect(await ctx.prisma.assetBlob.count({ where: { blobId: init.body.upload_id } })).toBe(0);
    });

    it("fails validate on an ETag mismatch: no blob, no object, no upload", async () => {
      const data = randomBytes(10);
      const claimed = `${"f".repeat(32)}-1`;
      const init = await initialize(owner.token, open.identifier, data, claimed).expect(200);
      const actual = await transfer(owner.token, init.body, data);
      expect(actual).toBe(computeDandiEtag(data));
      const res = await post(`/api/uploads/${init.body.upload_id}/validate/`, owner.token).expect(400);
      expect(res.body).toEqual([`ETag ${claimed} does not match actual ETag ${actual}.`]);
      expect(await ctx.deps.storage.headObject(blobKey(init.body.upload_id))).toBeNull();
      expect(await ctx.prisma.upload.count({ where: { uploadId: init.body.upload_id } })).toBe(0);
      expect(await ctx.prisma.assetBlob.count({ where: { etag: claimed } })).toBe(0);
    });

    it("finds blobs by dandi-etag or sha2-256, anonymously, with DANDI's errors", async () => {
      const blob = await uploadBlob(owner.token, open.identifier, randomBytes(10));
      const sha256 = "c".repeat(64);
      await ctx.prisma.assetBlob.update({ where: { blobId: blob.blob_id }, data: { sha256 } });
      const byEtag = await post("/api/blobs/digest/")
        .send({ algorithm: "dandi:dandi-etag", value: blob.etag })
        .expect(200);
      expect(byEtag.body).toEqual({ blob_id: blob.blob_id, etag: blob.etag, sha256, size: 10 });
      const bySha = await post("/api/blobs/digest/").send({ algorithm: "dandi:sha2-256", value: sha256 }).expect(200);
      expect(bySha.body.blob_id).toBe(blob.blob_id);
      const bad = await post("/api/blobs/digest/").send({ algorithm: "sha256", value: sha256 }).expect(400);
      expect(bad.body).toBe("Unsupported Digest Algorithm. Supported: dandi:dandi-etag, dandi:sha2-256");
      await post("/api/blobs/digest/")
        .send({ algorithm: "dandi:sha2-256", value: "d".repeat(64) })
        .expect(404);
    });
  });
}
