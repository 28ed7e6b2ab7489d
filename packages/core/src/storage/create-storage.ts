import type { TConfig } from "../config";
import { LocalStorage } from "./local-storage";
import { S3Storage } from "./s3-storage";
import type { Storage } from "./storage";

/** The storage backend chosen by STORAGE_BACKEND. */
export function createStorage(config: TConfig): Storage {
  switch (config.STORAGE_BACKEND) {
    case "s3":
      return new S3Storage(config);
    case "local":
      return new LocalStorage(config);
  }
}
