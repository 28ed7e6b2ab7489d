import { createHash, randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import yauzl from "yauzl";
import { blobKey } from "@dandi/core";
import { buildUser } from "@dandi/testing";
import type { TestContext } from "../../../test/context";
import { seedDandiset } from "../assets/assets.fixtures";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Every entry of a zip: name → SHA-256 of its bytes, read back with yauzl (checks the CRCs too). */
async function unzip(zip: Buffer): Promise<Record<string, string>> {
  const zipfile = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(zip, { lazyEntries: true, validateEntrySizes: true }, (err, z) =>
      err ? reject(err) : resolve(z),
    ),
  );
  const out: Record<string, string> = {};
  await new Promise<void>((resolve, reject) => {
    zipfile.on("error", reject);
    zipfile.on("end", () => resolve());
    zipfile.on("entry", (entry: yauzl.Entry) => {
      zipfile.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const hash = createHash("sha256");
        stream.on("data", (c: Buffer) => hash.update(c));
        stream.on("error", reject);
        stream.on("end", () => {
          out[entry.fileName] = hash.digest("hex");
          zipfile.readEntry();
        });
      });
    });
    zipfile.readEntry();
  });
  return out;
}

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
};

/**
 * GET .../assets/paths/zip/ against a storage backend: the zip's bytes are
 * unzipped and each file's digest compared to the blob's, caps and Zarr
 * refusals come before any byte is streamed, and embargoed dandisets go through
 * the read policy.
 */
export function defineZipTests(backend: "local" | "s3", getCtx: () => TestContext) {
  describe(`zip downloads (${backend})`, () => {
    let owner: { token: string; user: { id: number } };
    let other: { token: string; user: { id: number } };
    const auth = (t: { token: string }) => ({ Authorization: `token ${t.token}` });

    beforeAll(async () => {
      owner = await buildUser(getCtx().prisma);
      other = await buildUser(getCtx().prisma);
    });

    /** A draft whose assets have real bytes in storage (added through the API). */
    async function seedFiles(files: Record<string, Buffer>, embargoStatus: "OPEN" | "EMBARGOED" = "OPEN") {
      const { prisma, app, deps } = getCtx();
      const ds = await seedDandiset(prisma, { ownerId: owner.user.id, embargoStatus });
      for (const [path, bytes] of Object.entries(files)) {
        const uuid = randomUUID();
        await deps.storage.putObject(blobKey(uuid), bytes, { embargoed: embargoStatus !== "OPEN" });
        const blob = await prisma.assetBlob.create({
          data: {
            blobId: uuid,
            key: blobKey(uuid),
            etag: `${randomBytes(16).toString("hex")}-1`,
            sha256: sha256(bytes),
            size: BigInt(bytes.length),
            embargoed: embargoStatus !== "OPEN",
          },
        });
        await request(app)
          .post(ds.base)
          .set(auth(owner))
          .send({ metadata: { path }, blob_id: blob.blobId })
          .expect(200);
      }
      return ds;
    }

    const files = {
      "sub-01/ses-1/a.nwb": randomBytes(300_000),
      "sub-01/b.json": Buffer.from('{"hello": "world"}\n'),
      "sub-01/empty.txt": Buffer.alloc(0),
      "sub-02/c.nwb": randomBytes(1000),
    };
    const digests = (prefix: string) =>
      Object.fromEntries(
        Object.entries(files)
          .filter(([p]) => p.startsWith(prefix))
          .map(([p, b]) => [p, sha256(b)]),
      );

    it("streams a folder as a zip whose files have the blobs' digests", async () => {
      const ds = await seedFiles(files);
      const res = await request(getCtx().app)
        .get(`${ds.base}paths/zip/?path=sub-01`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(res.headers["content-type"]).toBe("application/zip");
      expect(res.headers["content-disposition"]).toBe(`attachment; filename="${ds.id}-draft-sub-01.zip"`);
      expect(await unzip(res.body as Buffer)).toEqual(digests("sub-01/"));

      // A nested folder's names start at the folder; the whole version has every file.
      const nested = await request(getCtx().app)
        .get(`${ds.base}paths/zip/?path=sub-01/ses-1/`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(await unzip(nested.body as Buffer)).toEqual({ "ses-1/a.nwb": sha256(files["sub-01/ses-1/a.nwb"]) });
      const all = await request(getCtx().app).get(`${ds.base}paths/zip/`).buffer(true).parse(binary).expect(200);
      expect(all.headers["content-disposition"]).toBe(`attachment; filename="${ds.id}-draft.zip"`);
      expect(await unzip(all.body as Buffer)).toEqual(digests(""));
    });

    it("refuses, before streaming, a folder over the caps, one with a Zarr, and a missing path", async () => {
      const ds = await seedFiles(files);
      const { config, app, prisma } = getCtx();
      const zip = (path: string) => request(app).get(`${ds.base}paths/zip/?path=${path}`);
      const over = await zip("sub-01");
      expect(over.status).toBe(200);
      const saved = { files: config.ZIP_MAX_FILES, bytes: config.ZIP_MAX_BYTES };
      try {
        config.ZIP_MAX_FILES = 2;
        const many = await zip("sub-01");
        expect([many.status, many.body]).toEqual([
          400,
          { detail: '"sub-01" holds 3 files; a zip download is limited to 2.' },
        ]);
        const whole = await request(app).get(`${ds.base}paths/zip/`);
        expect([whole.status, whole.body]).toEqual([
          400,
          { detail: "This version holds 4 files; a zip download is limited to 2." },
        ]);
        config.ZIP_MAX_FILES = saved.files;
        config.ZIP_MAX_BYTES = 300_000;
        const big = await zip("sub-01");
        expect([big.status, big.body]).toEqual([
          400,
          { detail: '"sub-01" holds 300019 bytes; a zip download is limited to 300000.' },
        ]);
      } finally {
        config.ZIP_MAX_FILES = saved.files;
        config.ZIP_MAX_BYTES = saved.bytes;
      }
      const missing = await zip("sub-09");
      expect([missing.status, missing.body]).toEqual([404, { detail: "No file or folder at sub-09" }]);

      const zarr = await prisma.zarrArchive.create({
        data: { zarrId: randomUUID(), dandisetId: ds.dandiset.id, name: "sub-02/x.zarr" },
      });
      await request(app)
        .post(ds.base)
        .set(auth(owner))
        .send({ metadata: { path: "sub-02/x.zarr" }, zarr_id: zarr.zarrId })
        .expect(200);
      const refused = await zip("sub-02");
      expect([refused.status, refused.body]).toEqual([
        400,
        {
          detail:
            '"sub-02" contains Zarr archives (sub-02/x.zarr), which cannot be downloaded as a zip; download them ' +
            "with the dandi CLI.",
        },
      ]);
    });

    it("goes through the read policy: an embargoed folder is for its owners only", async () => {
      const ds = await seedFiles({ "s/secret.nwb": randomBytes(64) }, "EMBARGOED");
      const { app } = getCtx();
      await request(app).get(`${ds.base}paths/zip/?path=s`).expect(401);
      await request(app).get(`${ds.base}paths/zip/?path=s`).set(auth(other)).expect(403);
      const res = await request(app)
        .get(`${ds.base}paths/zip/?path=s`)
        .set(auth(owner))
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(Object.keys(await unzip(res.body as Buffer))).toEqual(["s/secret.nwb"]);
    });
  });
}
