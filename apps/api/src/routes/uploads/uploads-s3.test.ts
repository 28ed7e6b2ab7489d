import { defineUploadProtocolTests, startUploadTestServer } from "./uploads.cases";

const ctx = await startUploadTestServer("s3");
defineUploadProtocolTests("s3", () => ctx);
