import { randomUUID } from "node:crypto";
import type { TConfig } from "../config";
import { publishActivity } from "@dandi/shared";
import { formatPythonIsoformat } from "./format-python-isoformat";

/**
 * DANDI's `publishedBy` PublishActivity for a publish at `now`
 * (PublishableMetadataMixin.published_by).
 */
export function buildPublishActivity(
  config: Pick<TConfig, "DANDI_INSTANCE_NAME" | "DANDI_INSTANCE_IDENTIFIER">,
  now: Date,
): Record<string, unknown> {
  return publishActivity(
    { instanceName: config.DANDI_INSTANCE_NAME, instanceIdentifier: config.DANDI_INSTANCE_IDENTIFIER },
    formatPythonIsoformat(now),
    randomUUID,
  );
}
