import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { computeDandiEtag, countDandisetDownloads } from "@dandi/core";
import { startMotoServer, type MotoServer } from "@dandi/testing";
import {
  buildBlob,
  createWorkerTestContext,
  sha256Of,
  startTestWorker,
  waitForIdle,
  type WorkerTestContext,
} from "./context";
import { seedDandisetWithAssets } from "./seed-dandiset";

let moto: MotoServer;
let ctx: WorkerTestContext;
let s3: S3Client;
const LOG_BUCKET = "dandi-access-logs";

beforeAll(async () => {
  moto = await startMotoServer();
  ctx = await createWorkerTestContext({ ...moto.env, ANALYTICS_LOG_BUCKET: LOG_BUCKET, ANALYTICS_LOG_PREFIX: "logs/" });
  s3 = new S3Client({
    region: ctx.config.S3_REGION,
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: ctx.config.AWS_ACCESS_KEY_ID!, secretAccessKey: ctx.config.AWS_SECRET_ACCESS_KEY! },
  });
  await s3.send(new CreateBucketCommand({ Bucket: LOG_BUCKET }));
  await startTestWorker(ctx.deps);
}, 120_000);
afterAll(() => moto?.stop());

const line = (op: string, key: string, status: number) =>
  `79a5 dandi [06/Feb/2026:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE ${op} ${key} "GET /dandi/${key}?x=1 HTTP/1.1" ${status} - 1024 1024 70 10 "-" "dandi/0.70 (curl)" - s9lzHYrFp76ZVx= SigV4 ECDHE-RSA-AES128-SHA AuthHeader dandi.s3.amazonaws.com TLSv1.2`;

async function readObject(key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await ctx.deps.storage.getObjectStream(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

describe("analytics worker", () => {
  it("counts successful blob GETs from access logs once per log file", async () => {
    const a = await buildBlob(ctx.deps, Buffer.from("blob a"));
    const b = await buildBlob(ctx.deps, Buffer.from("blob b"));
    const log1 = [
      line("REST.GET.OBJECT", a.key, 200),
      line("REST.GET.OBJECT", a.key, 200),
      line("REST.GET.OBJECT", a.key, 200),
      line("REST.GET.OBJECT", a.key, 206),
      line("REST.GET.OBJECT", a.key, 403),
      line("REST.HEAD.OBJECT", a.key, 200),
      line("REST.GET.OBJECT", b.key, 200),
      line("REST.GET.OBJECT", b.key, 200),
      line("REST.GET.OBJECT", "dandisets/000001/draft/assets.yaml", 200),
      "a malformed line",
    ].join("\n");
    await s3.send(new PutObjectCommand({ Bucket: LOG_BUCKET, Key: "logs/2026-02-06-00-00-38-AAAA", Body: log1 }));
    await s3.send(
      new PutObjectCommand({
        Bucket: LOG_BUCKET,
        Key: "logs/2026-02-06-01-00-00-BBBB",
        Body: line("REST.GET.OBJECT", a.key, 200),
      }),
    );

    await ctx.deps.jobs.enqueue("sweepAccessLogs", {});
    await waitForIdle(ctx.deps);
    const counts = async () =>
      Object.fromEntries(
        (await ctx.prisma.assetBlob.findMany({ where: { id: { in: [a.id, b.id] } } })).map((x) => [
          x.key,
          Number(x.downloadCount),
        ]),
      );
    expect(await counts()).toEqual({ [a.key]: 4, [b.key]: 2 });
    expect(
      (await ctx.prisma.accessLogFile.findMany({ orderBy: { key: "asc" } })).map((f) => [f.key, f.downloadHits]),
    ).toEqual([
      ["logs/2026-02-06-00-00-38-AAAA", 5],
      ["logs/2026-02-06-01-00-00-BBBB", 1],
    ]);

    // Again, by sweep and by a direct job for an already counted file: nothing changes.
    await ctx.deps.jobs.enqueue("sweepAccessLogs", {});
    await ctx.deps.jobs.enqueue("processAccessLog", { logKey: "logs/2026-02-06-00-00-38-AAAA" });
    await waitForIdle(ctx.deps);
    expect(await counts()).toEqual({ [a.key]: 4, [b.key]: 2 });
    expect(await ctx.prisma.accessLogFile.count()).toBe(2);

    // Per dandiset: the blobs used by any of its versions, each once.
    const dandiset = await ctx.prisma.dandiset.create({ data: {} });
    const draft = await ctx.prisma.version.create({
      data: { dandisetId: dandiset.id, version: "draft", name: "d", metadata: { schemaVersion: "0.8.0" } },
    });
    for (const [i, blob] of [a, a, b].entries()) {
      const asset = await ctx.prisma.asset.create({
        data: { assetId: crypto.randomUUID(), path: `f${i}.nwb`, blobId: blob.id, metadata: {} },
      });
      await ctx.prisma.versionAsset.create({
        data: { versionId: draft.id, assetId: asset.id, path: asset.path, created: asset.created },
      });
    }
    expect(await countDandisetDownloads(ctx.prisma, dandiset.id)).toBe(6);
  });
});

describe("manifests on S3", () => {
  it("streams large manifests as multipart uploads and reads back complete", async () => {
    const assets = 12_000;
    const { dandisetId, draftId } = await seedDandisetWithAssets(ctx.prisma, assets);
    await ctx.deps.jobs.enqueue("writeManifests", { versionId: draftId });
    await waitForIdle(ctx.deps, 120_000);
    const prefix = `dandisets/${String(dandisetId).padStart(6, "0")}/draft/`;
    const info = await ctx.deps.storage.headObject(`${prefix}assets.yaml`);
    // Larger than one 8 MiB part, so it went up as a multipart upload ("-N" ETag).
    expect(info!.size).toBeGreaterThan(8 * 1024 * 1024);
    expect(info!.etag).toMatch(/-\d+$/);
    const json = JSON.parse(await readObject(`${prefix}assets.jsonld`)) as { path: string }[];
    expect(json).toHaveLength(assets);
    expect(new Set(json.map((x) => x.path)).size).toBe(assets);
    const collection = JSON.parse(await readObject(`${prefix}collection.jsonld`)) as { hasMember: string[] };
    expect(collection.hasMember).toHaveLength(assets);
    const yamlText = await readObject(`${prefix}assets.yaml`);
    expect(yamlText.match(/^- /gm)).toHaveLength(assets);
  });
});

describe("checksums on S3", () => {
  it("hashes a blob uploaded in DANDI's parts as a client does, and still checks one stored otherwise", async () => {
    // As the CLI: presigned part PUT and complete POST; S3 computes the multipart ETag (= dandi-etag).
    const content = Buffer.alloc(3 * 1024 * 1024 + 5);
    for (let i = 0; i + 4 <= content.length; i += 4) content.writeUInt32LE(Math.imul(i, 2246822519) >>> 0, i);
    const blobId = randomUUID();
    const key = `blobs/${blobId.slice(0, 3)}/${blobId.slice(3, 6)}/${blobId}`;
    const storage = ctx.deps.storage;
    const uploadId = await storage.createMultipartUpload(key, { embargoed: false });
    const put = await fetch(await storage.presignUploadPart(key, uploadId, 1, content.length), {
      method: "PUT",
      body: content,
    });
    expect(put.status).toBe(200);
    const completed = await fetch(await storage.presignCompleteMultipartUpload(key, uploadId), {
      method: "POST",
      body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${put.headers.get("etag")}</ETag></Part></CompleteMultipartUpload>`,
    });
    expect(completed.status).toBe(200);
    const uploaded = await ctx.prisma.assetBlob.create({
      data: { blobId, key, etag: computeDandiEtag(content), size: BigInt(content.length) },
    });
    expect((await storage.headObject(key))?.etag).toBe(uploaded.etag);

    // A single PUT (ETag = plain MD5): the dandi-etag is recomputed from the bytes, and a wrong one refused.
    const put1 = await buildBlob(ctx.deps, Buffer.from("stored with one PUT"));
    const wrong = await buildBlob(ctx.deps, Buffer.from("wrong etag"), { etag: `${"ab".repeat(16)}-1` });
    for (const b of [uploaded, put1, wrong])
      await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: b.id.toString() });
    await waitForIdle(ctx.deps);
    const sha = async (id: bigint) => (await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id } })).sha256;
    expect(await sha(uploaded.id)).toBe(sha256Of(content));
    expect(await sha(put1.id)).toBe(sha256Of(Buffer.from("stored with one PUT")));
    expect(await sha(wrong.id)).toBeNull();
  });
});
