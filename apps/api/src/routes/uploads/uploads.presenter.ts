import type { TInitializeUploadResult } from "@dandi/core";

type TStartedUpload = Extract<TInitializeUploadResult, { kind: "started" }>;

/** DANDI's UploadInitializationResponseSerializer. */
export function presentInitializedUpload(result: TStartedUpload) {
  return {
    upload_id: result.uploadId,
    parts: result.parts.map((p) => ({ part_number: p.partNumber, size: p.size, upload_url: p.uploadUrl })),
  };
}

/** DANDI's UploadCompletionResponseSerializer. */
export function presentCompletedUpload(result: { completeUrl: string; body: string }) {
  return { complete_url: result.completeUrl, body: result.body };
}
