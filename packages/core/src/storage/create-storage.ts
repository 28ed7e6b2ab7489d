import type { TConfig } from "../config";
import { S3Storage } from "./s3-storage";
import type { Storage } from "./storage";

/** The storage backend chosen by STORAGE_BACKEND. */
export function createStorage(config: TConfig): Storage {
  switch (config.STORAGE_BACKEND) {
    case "s3":
      return new S3Storage(config);
    case "local":
      // The local-disk backend (signed URLs served by the API) is built in the uploads work.
      throw new Error("STORAGE_BACKEND=local is not built yet; use STORAGE_BACKEND=s3");
  }
}
