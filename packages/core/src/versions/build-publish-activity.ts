import { randomUUID } from "node:crypto";
import type { TConfig } from "../config";
import { formatPythonIsoformat } from "./format-python-isoformat";

/**
 * DANDI's `publishedBy` PublishActivity for a publish at `now`
 * (PublishableMetadataMixin.published_by).
 */
export function buildPublishActivity(
  config: Pick<TConfig, "DANDI_INSTANCE_NAME" | "DANDI_INSTANCE_IDENTIFIER">,
  now: Date,
): Record<string, unknown> {
  const at = formatPythonIsoformat(now);
  return {
    id: `urn:uuid:${randomUUID()}`,
    name: "DANDI publish",
    startDate: at,
    endDate: at,
    wasAssociatedWith: [
      {
        id: `urn:uuid:${randomUUID()}`,
        identifier: config.DANDI_INSTANCE_IDENTIFIER,
        name: `${config.DANDI_INSTANCE_NAME} API`,
        version: "0.1.0",
        schemaKey: "Software",
      },
    ],
    schemaKey: "PublishActivity",
  };
}
