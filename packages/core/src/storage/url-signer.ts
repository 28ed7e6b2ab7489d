import { createHmac, timingSafeEqual } from "node:crypto";

/** Query parameters of a signed URL, minus the signature itself. */
export type SignedParams = Record<string, string>;

/**
 * HMAC-SHA256 signatures for the local backend's URLs. The key is derived from
 * SESSION_SECRET with a fixed label so that a signature can never double as a
 * session cookie signature (or the other way round).
 */
export class UrlSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac("sha256", secret).update("dandi-local-storage-url-v1").digest();
  }

  /** The signature over a method class, a path and every parameter (sorted, so order does not matter). */
  sign(scope: string, path: string, params: SignedParams): string {
    const canonical = Object.keys(params)
      .sort()
      .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k]!)}`)
      .join("&");
    return createHmac("sha256", this.key).update(`${scope}\n${path}\n${canonical}`).digest("hex");
  }

  /** A query string `...&expires=<unix>&signature=<hex>` valid for `expiresIn` seconds. */
  signQuery(scope: string, path: string, params: SignedParams, expiresIn: number, now = Date.now()): string {
    const all = { ...params, expires: String(Math.floor(now / 1000) + expiresIn) };
    const signature = this.sign(scope, path, all);
    return new URLSearchParams({ ...all, signature }).toString();
  }

  /**
   * Checks a signature in constant time and the expiry. Returns the signed
   * parameters, or null for a tampered, unsigned or expired URL.
   */
  verify(scope: string, path: string, query: Record<string, unknown>, now = Date.now()): SignedParams | null {
    const params: SignedParams = {};
    let signature = "";
    for (const [k, v] of Object.entries(query)) {
      if (typeof v !== "string") return null; // a repeated parameter is never produced by signQuery
      if (k === "signature") signature = v;
      else params[k] = v;
    }
    if (!/^[0-9a-f]{64}$/.test(signature) || !/^\d+$/.test(params.expires ?? "")) return null;
    const expected = Buffer.from(this.sign(scope, path, params), "hex");
    if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return null;
    if (Number(params.expires) * 1000 < now) return null;
    return params;
  }
}
