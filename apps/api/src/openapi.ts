import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  extendZodWithOpenApi,
  type ResponseConfig,
  type RouteConfig,
} from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { DANDISET_ID_RE, UUID4_RE, VERSION_RE } from "./lib/path-params";

extendZodWithOpenApi(z);

/**
 * The one registry: each router registers the zod schemas it validates requests
 * with and the schemas its presenters' output satisfies, so the OpenAPI document
 * cannot drift from what the server accepts and answers.
 */
export const registry = new OpenAPIRegistry();

registry.registerComponent("securitySchemes", "token", {
  type: "apiKey",
  in: "header",
  name: "Authorization",
  description: 'An API key, sent as "token <key>".',
});

/**
 * DRF's error bodies: {"detail": "..."}, {"field": ["message", ...]}, ["message", ...],
 * or a bare string where DANDI's views answer `Response("message", status=400)`.
 */
export const ZApiErrorSchema = registry.register(
  "ApiError",
  z.union([z.object({ detail: z.string() }), z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string()]),
);

/** A DRF DateTimeField: ISO 8601 with microseconds and a Z suffix. */
export const ZTimestamp = z.string().openapi({ format: "date-time" });

/** Any JSON value (metadata documents, validation errors). */
export const ZJson = z.unknown();

/** A JSON object with any keys. */
export const ZJsonObject = z.record(z.string(), z.unknown());

/** DRF's page-number pagination envelope around `item`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int().nullable(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

/** A response with a JSON body. */
export function json(description: string, schema: z.ZodType): ResponseConfig {
  return { description, content: { "application/json": { schema } } };
}

/** A request body of JSON. */
export function jsonBody(schema: z.ZodType) {
  return { required: true, content: { "application/json": { schema } } };
}

/** Security of an operation that answers anonymous callers and API keys alike. */
export const OPTIONAL_AUTH: Record<string, string[]>[] = [{ token: [] }, {}];
/** Security of an operation that needs an API key (or a session). */
export const REQUIRED_AUTH: Record<string, string[]>[] = [{ token: [] }];

const DANDISET_ID = z
  .string()
  .regex(DANDISET_ID_RE)
  .openapi({ description: "Six-digit dandiset identifier", example: "000001" });
const UUID4 = z.string().regex(UUID4_RE).openapi({ format: "uuid" });

/**
 * Every path parameter of the API, by the name the document uses, with the
 * pattern the route matches (a value outside it is a 404).
 */
export const PATH_PARAMETERS: Record<string, z.ZodString> = {
  dandisetId: DANDISET_ID,
  dandiset_id: DANDISET_ID,
  id: DANDISET_ID,
  version: z
    .string()
    .regex(VERSION_RE)
    .openapi({ description: '"draft" or a published version (0.YYMMDD.NNNN)', example: "draft" }),
  asset_id: UUID4,
  zarr_id: UUID4,
  uploadId: UUID4,
  username: z.string().min(1),
};

/** The errors any operation may answer (DRF's bodies). */
const ERROR_RESPONSES: Record<string, string> = {
  400: "Invalid request (DRF field errors)",
  401: "Authentication credentials were not provided or are invalid",
  403: "Not allowed",
  404: "Not found",
};

function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

/**
 * A route as the document shows it: every templated segment declared as a path
 * parameter (from PATH_PARAMETERS unless the route gave its own schema), the
 * security it needs (reads accept anonymous callers, writes need a key, unless
 * the route says otherwise) and DANDI's error responses with their body schema.
 */
export function completeRoute(route: RouteConfig): RouteConfig {
  const names = pathParameterNames(route.path);
  const given = route.request?.params;
  const givenShape = given && "shape" in given ? (given.shape as Record<string, z.ZodType>) : {};
  const shape: Record<string, z.ZodType> = {};
  for (const name of names) {
    const schema = givenShape[name] ?? PATH_PARAMETERS[name];
    if (!schema) throw new Error(`OpenAPI: no schema for path parameter {${name}} of ${route.path}`);
    shape[name] = schema;
  }
  const responses: RouteConfig["responses"] = { ...route.responses };
  for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
    responses[status] ??= { description };
  }
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400 && !("$ref" in response) && !response.content) {
      responses[status] = json(response.description, ZApiErrorSchema);
    }
  }
  return {
    ...route,
    security: route.security ?? (route.method === "get" ? OPTIONAL_AUTH : REQUIRED_AUTH),
    request: { ...route.request, ...(names.length ? { params: z.object(shape) } : {}) },
    responses,
  };
}

export function buildOpenApiDocument(serverUrl: string, version: string): object {
  const definitions = registry.definitions.map((d) =>
    d.type === "route" ? { ...d, route: completeRoute(d.route) } : d,
  );
  return new OpenApiGeneratorV31(definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "DANDI Archive API",
      version,
      description: "Wire-compatible with the DANDI Archive's REST API.",
    },
    servers: [{ url: serverUrl }],
  });
}
