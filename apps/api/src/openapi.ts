import { OpenAPIRegistry, OpenApiGeneratorV31, extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

extendZodWithOpenApi(z);

/**
 * The one registry: each router registers the zod schemas it validates requests
 * with, so the OpenAPI document cannot drift from what the server accepts.
 */
export const registry = new OpenAPIRegistry();

registry.registerComponent("securitySchemes", "token", {
  type: "apiKey",
  in: "header",
  name: "Authorization",
  description: 'An API key, sent as "token <key>".',
});

export function buildOpenApiDocument(serverUrl: string, version: string): object {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "DANDI Archive API",
      version,
      description: "Wire-compatible with the DANDI Archive's REST API.",
    },
    servers: [{ url: serverUrl }],
  });
}
