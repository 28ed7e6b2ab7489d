import { startUploadTestServer } from "../uploads/uploads.cases";
import { defineZarrStorageTests } from "./zarr-storage.cases";

const ctx = await startUploadTestServer("s3");
defineZarrStorageTests("s3", () => ctx);
