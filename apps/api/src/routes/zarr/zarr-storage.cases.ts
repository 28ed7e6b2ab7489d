import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GetObjectTaggingCommand } from "@aws-sdk/client-s3";
import { S3Storage, zarrKeyPrefix } from "@dandi/core";
import type { TestContext } from "../../../test/context";

const b64md5 = (b: Buffer) => createHash("md5").update(b).digest("base64");
const hexmd5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

/** PUTs through a presigned URL over real HTTP, with the headers the dandi CLI sends. */
async function put(url: string, body: Buffer, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "PUT", body: new Uint8Array(body), headers });
}

/** The signed headers the CLI reads off a presigned URL (X-Amz-SignedHeaders), or [] for local URLs. */
function signedHeaders(url: string): string[] {
  return new URL(url).searchParams.get("X-Amz-SignedHeaders")?.split(";") ?? [];
}

/**
 * The Storage methods zarr support needs, against a listening server (local)
 * or moto_server (s3): presigned single PUT with Content-MD5, listing as S3's
 * ListObjectsV2, batch delete, presigned HEAD.
 */
export function defineZarrStorageTests(backend: "local" | "s3", getCtx: () => TestContext) {
  describe(`zarr storage (${backend})`, () => {
    async function upload(key: string, body: Buffer, embargoed = false): Promise<Response> {
      const { storage } = getCtx().deps;
      const contentMd5 = b64md5(body);
      const url = await storage.presignPutObject(key, { contentMd5, embargoed });
      const headers: Record<string, string> = { "Content-MD5": contentMd5, "Content-Type": "application/json" };
      if (signedHeaders(url).includes("x-amz-tagging")) headers["x-amz-tagging"] = "embargoed=true";
      return put(url, body, headers);
    }

    it("stores a PUT whose body matches Content-MD5, with the md5 hex as ETag", async () => {
      const { storage } = getCtx().deps;
      const key = `${zarrKeyPrefix(crypto.randomUUID())}.zattrs`;
      const body = Buffer.from('{"a": 1}');
      const res = await upload(key, body);
      expect(res.status).toBe(200);
      expect(res.headers.get("etag")).toBe(`"${hexmd5(body)}"`);
      expect(await storage.headObject(key)).toEqual({ size: body.length, etag: hexmd5(body) });
      const got = await fetch(await storage.presignGet(key));
      expect(Buffer.from(await got.arrayBuffer())).toEqual(body);
    });

    // moto_server checks neither signatures nor Content-MD5 (AWS does: 403 and 400 BadDigest), so on
    // S3 only the signing is checked: Content-MD5 must be among the signed headers.
    it.runIf(backend === "s3")("signs Content-MD5 into the S3 PUT URL", async () => {
      const url = await getCtx().deps.storage.presignPutObject("zarr/x/y", {
        contentMd5: b64md5(Buffer.from("")),
        embargoed: false,
      });
      expect(signedHeaders(url)).toContain("content-md5");
      expect(new URL(url).searchParams.get("X-Amz-Expires")).toBe("21600");
    });

    it.runIf(backend === "local")(
      "refuses a body whose md5 is not the signed Content-MD5 (400 BadDigest) and stores nothing",
      async () => {
        const { storage } = getCtx().deps;
        const key = `${zarrKeyPrefix(crypto.randomUUID())}0/0`;
        const contentMd5 = b64md5(Buffer.from("expected"));
        const url = await storage.presignPutObject(key, { contentMd5, embargoed: false });
        const res = await put(url, Buffer.from("something else"), { "Content-MD5": contentMd5 });
        expect(res.status).toBe(400);
        expect(await res.text()).toContain("BadDigest");
        expect(await storage.headObject(key)).toBeNull();
      },
    );

    it.runIf(backend === "local")("refuses a PUT without the signed Content-MD5 header (403)", async () => {
      const { storage } = getCtx().deps;
      const key = `${zarrKeyPrefix(crypto.randomUUID())}0/1`;
      const body = randomBytes(10);
      const url = await storage.presignPutObject(key, { contentMd5: b64md5(body), embargoed: false });
      const res = await put(url, body, {});
      expect(res.status).toBe(403);
      expect(await storage.headObject(key)).toBeNull();
    });

    it("signs x-amz-tagging for embargoed objects only", async () => {
      const { storage } = getCtx().deps;
      const key = `${zarrKeyPrefix(crypto.randomUUID())}e`;
      const body = randomBytes(5);
      const url = await storage.presignPutObject(key, { contentMd5: b64md5(body), embargoed: true });
      const plain = await storage.presignPutObject(key, { contentMd5: b64md5(body), embargoed: false });
      if (backend === "s3") {
        expect(signedHeaders(url)).toEqual(expect.arrayContaining(["content-md5", "x-amz-tagging"]));
        expect(signedHeaders(plain)).not.toContain("x-amz-tagging");
      }
      expect((await upload(key, body, true)).status).toBe(200);
      // An embargoed object is not served on its unsigned URL (the bucket policy's job on S3).
      if (backend === "local") expect((await fetch(storage.objectUrl(key))).status).toBe(403);
      if (storage instanceof S3Storage) {
        const tagsOf = async (k: string) =>
          (await storage.client.send(new GetObjectTaggingCommand({ Bucket: getCtx().config.S3_BUCKET!, Key: k })))
            .TagSet;
        expect(await tagsOf(key)).toEqual([{ Key: "embargoed", Value: "true" }]);
        const open = `${zarrKeyPrefix(crypto.randomUUID())}o`;
        expect((await upload(open, body, false)).status).toBe(200);
        expect(await tagsOf(open)).toEqual([]);
      }
    });

    it("lists a prefix in S3 key order with StartAfter and MaxKeys, and deletes in batches", async () => {
      const { storage } = getCtx().deps;
      const prefix = zarrKeyPrefix(crypto.randomUUID());
      // "a.b" sorts before "a/x" ('.' < '/'), "é" (UTF-8 0xC3..) after "z".
      const names = ["a/x", "a.b", "a/y/z", "z", "é", "b", "ab", ".zattrs"];
      const bodies = new Map(names.map((n, i) => [n, randomBytes(i + 1)]));
      for (const [n, b] of bodies) expect((await upload(prefix + n, b)).status).toBe(200);
      await upload(`${zarrKeyPrefix(crypto.randomUUID())}a.b`, randomBytes(3)); // another zarr: never listed

      const sorted = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(sorted).toEqual([".zattrs", "a.b", "a/x", "a/y/z", "ab", "b", "z", "é"]);
      const all = await storage.listObjects(prefix);
      expect(all.isTruncated).toBe(false);
      expect(all.objects.map((o) => o.key)).toEqual(sorted.map((n) => prefix + n));
      for (const o of all.objects) {
        const b = bodies.get(o.key.slice(prefix.length))!;
        expect(o).toMatchObject({ etag: hexmd5(b), size: b.length });
        expect(o.lastModified).toBeInstanceOf(Date);
        expect(Math.abs(o.lastModified.getTime() - Date.now())).toBeLessThan(600_000);
      }

      const page = await storage.listObjects(prefix, { startAfter: `${prefix}a/x`, maxKeys: 2 });
      expect(page.objects.map((o) => o.key)).toEqual([`${prefix}a/y/z`, `${prefix}ab`]);
      expect(page.isTruncated).toBe(true);
      const last = await storage.listObjects(prefix, { startAfter: `${prefix}b`, maxKeys: 2 });
      expect(last.objects.map((o) => o.key)).toEqual([`${prefix}z`, `${prefix}é`]);
      expect(last.isTruncated).toBe(false);
      // A prefix is a string prefix, not a folder: "a" matches a.b, a/..., ab.
      const a = await storage.listObjects(`${prefix}a`);
      expect(a.objects.map((o) => o.key)).toEqual(["a.b", "a/x", "a/y/z", "ab"].map((n) => prefix + n));
      expect((await storage.listObjects(`${prefix}a/`)).objects.map((o) => o.key)).toEqual(
        ["a/x", "a/y/z"].map((n) => prefix + n),
      );
      expect(await storage.listObjects(`${prefix}nothing`)).toEqual({ objects: [], isTruncated: false });

      await storage.deleteObjects([`${prefix}a/x`, `${prefix}b`, `${prefix}never-existed`]);
      expect((await storage.listObjects(prefix)).objects.map((o) => o.key)).toEqual(
        [".zattrs", "a.b", "a/y/z", "ab", "z", "é"].map((n) => prefix + n),
      );
      await storage.deleteObjects([]);
    });

    it("stores a key where a deleted key's folder was, and keys under a deleted key", async () => {
      const { storage } = getCtx().deps;
      const prefix = zarrKeyPrefix(crypto.randomUUID());
      expect((await upload(`${prefix}a/b/c`, Buffer.from("1"))).status).toBe(200);
      await storage.deleteObjects([`${prefix}a/b/c`]);
      expect((await upload(`${prefix}a`, Buffer.from("2"))).status).toBe(200);
      await storage.deleteObjects([`${prefix}a`]);
      expect((await upload(`${prefix}a/b`, Buffer.from("3"))).status).toBe(200);
      expect((await storage.listObjects(prefix)).objects.map((o) => o.key)).toEqual([`${prefix}a/b`]);
    });

    it("presigns a HEAD URL", async () => {
      const { storage } = getCtx().deps;
      const key = `${zarrKeyPrefix(crypto.randomUUID())}h`;
      const body = randomBytes(7);
      await upload(key, body);
      const res = await fetch(await storage.presignHead(key), { method: "HEAD" });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe("7");
      expect(res.headers.get("etag")).toBe(`"${hexmd5(body)}"`);
    });
  });
}
