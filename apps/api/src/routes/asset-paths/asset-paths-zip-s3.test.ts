import { startUploadTestServer } from "../uploads/uploads.cases";
import { defineZipTests } from "./asset-paths-zip.cases";

const ctx = await startUploadTestServer("s3");
defineZipTests("s3", () => ctx);
