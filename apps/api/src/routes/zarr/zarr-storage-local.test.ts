import { startUploadTestServer } from "../uploads/uploads.cases";
import { defineZarrStorageTests } from "./zarr-storage.cases";

const ctx = await startUploadTestServer("local");
defineZarrStorageTests("local", () => ctx);
