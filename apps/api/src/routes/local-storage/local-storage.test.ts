import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import request from "supertest";
import { LOCAL_SCOPES, LocalStorage } from "@dandi/core";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();
const storage = ctx.deps.storage as LocalStorage;
const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

/** The path and query of a URL the storage signed for http://api.test. */
function local(url: string): string {
  expect(url.startsWith("http://api.test/storage/")).toBe(true);
  return url.slice("http://api.test".length);
}

/** PUTs a part through its presigned URL and checks the status. */
async function putPart(key: string, uploadId: string, n: number, data: Buffer, status = 200) {
  const url = await storage.presignUploadPart(key, uploadId, n, data.length);
  return request(ctx.app).put(local(url)).send(data).expect(status);
}

async function uploadObject(key: string, parts: Buffer[], embargoed = false): Promise<string> {
  const uploadId = await storage.createMultipartUpload(key, { embargoed });
  const etags: string[] = [];
  for (const [i, p] of parts.entries()) {
    const res = await putPart(key, uploadId, i + 1, p);
    etags.push(String(res.headers.etag).replace(/"/g, ""));
  }
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
    etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join("") +
    `</CompleteMultipartUpload>`;
  const res = await request(ctx.app)
    .post(local(await storage.presignCompleteMultipartUpload(key, uploadId)))
    .send(xml)
    .expect(200);
  expect(res.text).toContain('<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
  return /<ETag>&quot;(.*)&quot;<\/ETag>/.exec(res.text)![1]!;
}

describe("local storage signed URLs", () => {
  it("stores parts, answers each PUT with the part md5 and completes with the multipart ETag", async () => {
    const a = randomBytes(5 * 1024 * 1024);
    const b = randomBytes(1234);
    const etag = await uploadObject("blobs/aaa/bbb/one", [a, b]);
    const expected = `${md5(Buffer.concat([createHash("md5").update(a).digest(), createHash("md5").update(b).digest()]))}-2`;
    expect(etag).toBe(expected);
    expect(await storage.headObject("blobs/aaa/bbb/one")).toEqual({ size: a.length + b.length, etag: expected });
  });

  it("survives two concurrent completes of one upload: one object, never a 500", async () => {
    const key = "blobs/ccc/ddd/twice";
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(10)];
    const uploadId = await storage.createMultipartUpload(key, { embargoed: false });
    const etags = [];
    for (const [i, p] of parts.entries()) etags.push((await putPart(key, uploadId, i + 1, p)).headers.etag as string);
    const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    const url = local(await storage.presignCompleteMultipartUpload(key, uploadId));
    const results = await Promise.all([request(ctx.app).post(url).send(xml), request(ctx.app).post(url).send(xml)]);
    const statuses = results.map((r) => r.status).sort();
    expect([
      [200, 200],
      [200, 404],
    ]).toContainEqual(statuses);
    expect((await storage.headObject(key))?.size).toBe(parts[0]!.length + parts[1]!.length);
  });

  it("rejects a part whose Content-Length differs from the signed length", async () => {
    const uploadId = await storage.createMultipartUpload("blobs/x/y/len", { embargoed: false });
    const url = await storage.presignUploadPart("blobs/x/y/len", uploadId, 1, 10);
    const res = await request(ctx.app).put(local(url)).send(Buffer.alloc(11)).expect(403);
    expect(res.text).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("rejects tampered and expired URLs with 403", async () => {
    const uploadId = await storage.createMultipartUpload("blobs/x/y/sig", { embargoed: false });
    const url = local(await storage.presignUploadPart("blobs/x/y/sig", uploadId, 1, 10));
    await request(ctx.app).put(url.replace("/parts/1?", "/parts/2?")).send(Buffer.alloc(10)).expect(403);
    await request(ctx.app).put(url.replace("length=10", "length=11")).send(Buffer.alloc(11)).expect(403);
    const sig = /signature=([0-9a-f]+)/.exec(url)![1]!;
    const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
    await request(ctx.app).put(url.replace(sig, flipped)).send(Buffer.alloc(10)).expect(403);
    await request(ctx.app)
      .put(url.replace(/&?signature=[0-9a-f]+/, ""))
      .send(Buffer.alloc(10))
      .expect(403);
    const p = `uploads/${uploadId}/parts/1`;
    const expired = storage.signer.signQuery(
      LOCAL_SCOPES.part,
      p,
      { key: "k", length: "10" },
      60,
      Date.now() - 3600_000,
    );
    const res = await request(ctx.app).put(`/storage/${p}?${expired}`).send(Buffer.alloc(10)).expect(403);
    expect(res.text).toContain("<Code>AccessDenied</Code>");
    // A valid part URL is no GET URL.
    await request(ctx.app).get(url).expect(404);
  });

  it("refuses non-final parts under 5 MiB, unknown parts and descending order", async () => {
    const key = "blobs/x/y/small";
    const uploadId = await storage.createMultipartUpload(key, { embargoed: false });
    const e1 = (await putPart(key, uploadId, 1, Buffer.from("abc"))).headers.etag as string;
    const e2 = (await putPart(key, uploadId, 2, Buffer.from("def"))).headers.etag as string;
    const complete = local(await storage.presignCompleteMultipartUpload(key, uploadId));
    const body = (parts: [number, string][]) =>
      `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><PartNumber>${n}</PartNumber><ETag>${e}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    expect(
      (
        await request(ctx.app)
          .post(complete)
          .send(
            body([
              [1, e1],
              [2, e2],
            ]),
          )
          .expect(400)
      ).text,
    ).toContain("EntityTooSmall");
    expect(
      (
        await request(ctx.app)
          .post(complete)
          .send(
            body([
              [2, e2],
              [1, e1],
            ]),
          )
          .expect(400)
      ).text,
    ).toContain("InvalidPartOrder");
    expect(
      (
        await request(ctx.app)
          .post(complete)
          .send(body([[1, e2]]))
          .expect(400)
      ).text,
    ).toContain("InvalidPart");
    expect((await request(ctx.app).post(complete).send("nope").expect(400)).text).toContain("MalformedXML");
    await request(ctx.app)
      .post(complete)
      .send(body([[1, e1]]))
      .expect(200);
    expect(await storage.headObject(key)).toEqual({
      size: 3,
      etag: `${md5(createHash("md5").update("abc").digest())}-1`,
    });
    // The upload is gone once completed; a second complete is NoSuchUpload.
    await request(ctx.app)
      .post(complete)
      .send(body([[1, e1]]))
      .expect(404);
  });

  it("aborts an upload by removing its parts", async () => {
    const key = "blobs/x/y/abort";
    const uploadId = await storage.createMultipartUpload(key, { embargoed: false });
    await putPart(key, uploadId, 1, Buffer.from("abc"));
    await storage.abortMultipartUpload(key, uploadId);
    await putPart(key, uploadId, 1, Buffer.from("abc"), 404);
  });

  it("serves GET with Range, Content-Disposition and HEAD from a presigned URL", async () => {
    const data = randomBytes(1000);
    await storage.putObject("some/dir/file.bin", data);
    const url = local(await storage.presignGet("some/dir/file.bin", { filename: "naïve file.nwb" }));
    const full = await request(ctx.app).get(url).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(full.body as Buffer, data)).toBe(0);
    expect(full.headers["accept-ranges"]).toBe("bytes");
    expect(full.headers["content-length"]).toBe("1000");
    expect(full.headers["content-disposition"]).toBe(
      `attachment; filename="na_ve file.nwb"; filename*=UTF-8''na%C3%AFve%20file.nwb`,
    );
    const part = await request(ctx.app).get(url).set("Range", "bytes=100-").buffer(true).parse(binary).expect(206);
    expect(Buffer.compare(part.body as Buffer, data.subarray(100))).toBe(0);
    expect(part.headers["content-range"]).toBe("bytes 100-999/1000");
    const tail = await request(ctx.app).get(url).set("Range", "bytes=-10").buffer(true).parse(binary).expect(206);
    expect(Buffer.compare(tail.body as Buffer, data.subarray(990))).toBe(0);
    await request(ctx.app).get(url).set("Range", "bytes=1000-").expect(416);
    const head = await request(ctx.app).head(url).expect(200);
    expect(head.headers["content-length"]).toBe("1000");
    expect(head.headers.etag).toBe(`"${md5(data)}"`);
    const inline = local(
      await storage.presignGet("some/dir/file.bin", {
        filename: "a.json",
        disposition: "inline",
        contentType: "application/json",
      }),
    );
    const res = await request(ctx.app).head(inline).expect(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["content-disposition"]).toBe('inline; filename="a.json"');
    await request(ctx.app).get(inline.replace("inline", "attachment")).expect(403);
    const expired = storage.signer.signQuery(
      LOCAL_SCOPES.get,
      "objects/some/dir/file.bin",
      {},
      60,
      Date.now() - 3600_000,
    );
    await request(ctx.app).get(`/storage/objects/some/dir/file.bin?${expired}`).expect(403);
    const fresh = storage.signer.signQuery(LOCAL_SCOPES.get, "objects/some/dir/file.bin", {}, 60);
    await request(ctx.app).head(`/storage/objects/some/dir/file.bin?${fresh}`).expect(200);
  });

  it("serves unsigned object URLs only for objects that are not embargoed", async () => {
    await storage.putObject("open/obj", "hello");
    await storage.putObject("closed/obj", "secret", { embargoed: true });
    const open = await request(ctx.app)
      .get(local(storage.objectUrl("open/obj")))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(String(open.body)).toBe("hello");
    await request(ctx.app)
      .get(local(storage.objectUrl("closed/obj")))
      .expect(403);
    await request(ctx.app)
      .get(local(await storage.presignGet("closed/obj")))
      .expect(200);
    await storage.setEmbargoedTag("closed/obj", false);
    await request(ctx.app)
      .get(local(storage.objectUrl("closed/obj")))
      .expect(200);
    await storage.deleteObject("closed/obj");
    expect(await storage.headObject("closed/obj")).toBeNull();
    await request(ctx.app)
      .get(local(storage.objectUrl("closed/obj")))
      .expect(404);
    await request(ctx.app).get("/storage/objects/../../etc/passwd").expect(404);
  });
});

/** Buffers a response body as bytes, whatever its content type. */
const binary = ((res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
}) as unknown as Parameters<request.Test["parse"]>[0];
