import { Router, type NextFunction, type Request, type Response } from "express";
import { pipeline } from "node:stream/promises";
import { LOCAL_SCOPES, LocalStorage, StorageError } from "@dandi/core";
import { presentCompleteResult, presentStorageError } from "./local-storage.presenter";
import { parseByteRange } from "./byte-range";

/** A CompleteMultipartUpload body lists at most 10,000 parts of ~100 bytes. */
const MAX_COMPLETE_BODY = 2 * 1024 * 1024;

function localStorageOf(req: Request): LocalStorage {
  const { storage } = req.deps;
  if (!(storage instanceof LocalStorage)) throw new StorageError("NoSuchBucket", 404, "Local storage is not in use.");
  return storage;
}

function denied(message = "Request has expired or its signature does not match."): StorageError {
  return new StorageError("AccessDenied", 403, message);
}

/** PUT of one part: the signature binds the upload, the part number and the exact Content-Length. */
async function putPart(req: Request, res: Response): Promise<void> {
  const storage = localStorageOf(req);
  const { uploadId, partNumber } = req.params as { uploadId: string; partNumber: string };
  const params = storage.signer.verify(LOCAL_SCOPES.part, `uploads/${uploadId}/parts/${partNumber}`, req.query);
  if (!params) throw denied();
  if (req.get("content-length") !== params.length) {
    throw new StorageError("SignatureDoesNotMatch", 403, "Content-Length does not match the signed length.");
  }
  const etag = await storage.uploadPart(uploadId, Number(partNumber), req, Number(params.length));
  res.status(200).set("ETag", `"${etag}"`).end();
}

async function readText(req: Request, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new StorageError("MaxMessageLengthExceeded", 400, "Your request was too big.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** POST of DANDI's CompleteMultipartUpload XML body. */
async function completeUpload(req: Request, res: Response): Promise<void> {
  const storage = localStorageOf(req);
  const { uploadId } = req.params as { uploadId: string };
  if (!storage.signer.verify(LOCAL_SCOPES.complete, `uploads/${uploadId}/complete`, req.query)) throw denied();
  // A JSON content type would already have been consumed by the JSON parser: that is never S3's XML.
  const body = typeof req.body === "object" && req.body !== null ? "" : await readText(req, MAX_COMPLETE_BODY);
  const { key, etag } = await storage.completeMultipartUpload(uploadId, body);
  res
    .status(200)
    .type("application/xml")
    .send(presentCompleteResult(storage.objectUrl(key), key, etag));
}

/**
 * PUT of a whole object (zarr files): the signature binds the key, the
 * Content-MD5 the client must send and the embargo flag. As on S3, a missing or
 * different Content-MD5 header breaks the signature (403) and a body whose md5
 * is not the header's is refused with 400 BadDigest.
 */
async function putObject(req: Request, res: Response): Promise<void> {
  const storage = localStorageOf(req);
  const key = (req.params as { key: string[] }).key.join("/");
  const params = storage.signer.verify(LOCAL_SCOPES.put, `objects/${key}`, req.query);
  if (!params) throw denied();
  if (req.get("content-md5") !== params["content-md5"]) {
    throw new StorageError("SignatureDoesNotMatch", 403, "Content-MD5 does not match the signed Content-MD5.");
  }
  const etag = await storage.putObjectStream(key, req, {
    contentMd5: params["content-md5"]!,
    embargoed: params.embargoed === "true",
    contentType: req.get("content-type"),
  });
  res.status(200).set("ETag", `"${etag}"`).end();
}

/** GET/HEAD of an object: signed URLs for anything, unsigned only for objects that are not embargoed. */
async function getObject(req: Request, res: Response): Promise<void> {
  const storage = localStorageOf(req);
  const key = (req.params as { key: string[] }).key.join("/");
  const signed = "signature" in req.query;
  const params = signed ? storage.signer.verify(LOCAL_SCOPES.get, `objects/${key}`, req.query) : {};
  if (!params) throw denied();
  const meta = await storage.statObject(key);
  if (!meta) throw new StorageError("NoSuchKey", 404, "The specified key does not exist.");
  if (!signed && meta.embargoed) throw denied("Access Denied");

  const range = parseByteRange(req.get("range"), meta.size);
  if (range === "unsatisfiable") {
    res.status(416).set("Content-Range", `bytes */${meta.size}`);
    throw new StorageError("InvalidRange", 416, "The requested range is not satisfiable");
  }
  res.set({
    "Accept-Ranges": "bytes",
    ETag: `"${meta.etag}"`,
    "Last-Modified": new Date(meta.modified).toUTCString(),
    "Content-Type": params["response-content-type"] ?? meta.contentType ?? "application/octet-stream",
    "Content-Length": String(range ? range.end - range.start + 1 : meta.size),
  });
  if (params["response-content-disposition"]) res.set("Content-Disposition", params["response-content-disposition"]);
  if (range) res.status(206).set("Content-Range", `bytes ${range.start}-${range.end}/${meta.size}`);
  if (req.method === "HEAD" || meta.size === 0) {
    res.end();
    return;
  }
  await pipeline(await storage.getObjectStream(key, range ?? undefined), res);
}

/** Storage failures answer in S3's XML error shape, as a client of presigned S3 URLs expects. */
function storageErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!(err instanceof StorageError)) return next(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(err.status).type("application/xml");
  if (req.method === "HEAD") res.end();
  else res.send(presentStorageError(err.code, err.message));
}

/**
 * The URLs the local backend signs (see LocalStorage), under /storage. They sit
 * outside /api: the signature is the credential, as with presigned S3 URLs.
 */
export function localStorageRouter(): Router {
  const router = Router();
  router.put("/uploads/:uploadId/parts/:partNumber", putPart);
  router.post("/uploads/:uploadId/complete", completeUpload);
  router.get("/objects/*key", getObject);
  router.put("/objects/*key", putObject);
  router.use(storageErrors);
  return router;
}
