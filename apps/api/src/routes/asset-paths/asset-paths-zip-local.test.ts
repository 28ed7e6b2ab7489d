import { startUploadTestServer } from "../uploads/uploads.cases";
import { defineZipTests } from "./asset-paths-zip.cases";

const ctx = await startUploadTestServer("local");
defineZipTests("local", () => ctx);
