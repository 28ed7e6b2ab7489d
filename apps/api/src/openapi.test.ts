import { describe, expect, it } from "vitest";
import request from "supertest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../test/context";

const ctx = await createTestContext();

interface TOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
  security?: unknown[];
}
type TDocument = {
  paths: Record<string, Record<string, TOperation>>;
  components: { schemas: Record<string, unknown> };
};

const doc = (await request(ctx.app).get("/api/openapi.json").expect(200)).body as TDocument;
const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({ path, method, op })),
);

/** Validates a response body against the document's schema for that operation and status. */
function validate(path: string, method: string, status: number, body: unknown): string[] {
  const schema = doc.paths[path]?.[method]?.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) return [`no JSON schema for ${method.toUpperCase()} ${path} ${status}`];
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "doc", components: doc.components });
  const check = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"doc#/components')));
  return check(body) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("the OpenAPI document", () => {
  it("declares every path parameter of every templated path", () => {
    const missing = operations.flatMap(({ path, method, op }) => {
      const declared = new Set((op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name));
      return [...path.matchAll(/\{(\w+)\}/g)]
        .filter((m) => !declared.has(m[1]!))
        .map((m) => `${method} ${path} ${m[1]}`);
    });
    expect(missing).toEqual([]);
  });

  it("gives every operation a success response with a schema (or one that has no body)", () => {
    const without = operations.filter(({ op }) =>
      Object.entries(op.responses).every(
        ([status, r]) =>
          Number(status) >= 400 || (!r.content && !["204", "302"].includes(status) && !/no body/.test(r.description)),
      ),
    );
    expect(without.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it("gives every JSON write a request body schema and every error DRF's error schema", () => {
    for (const { path, method, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && Number(status) < 500 && path !== "/api/users/questionnaire-form/") {
          expect(response.content?.["application/json"]?.schema, `${method} ${path} ${status}`).toEqual({
            $ref: "#/components/schemas/ApiError",
          });
        }
      }
    }
    const bodies = ["post /api/dandisets/", "put /api/dandisets/{dandisetId}/versions/{version}/", "post /api/zarr/"];
    for (const key of bodies) {
      const [method, path] = key.split(" ") as [string, string];
      expect(doc.paths[path]?.[method]?.requestBody, key).toBeDefined();
    }
  });

  it("includes the dandiset search", () => {
    expect(doc.paths["/api/dandisets/search/"]?.get).toBeDefined();
  });

  it("describes what the server answers (a dandiset's detail, versions, owners, the list, info)", async () => {
    const { token } = await buildUser(ctx.prisma);
    const auth = { Authorization: `token ${token}` };
    const created = await request(ctx.app)
      .post("/api/dandisets/")
      .set(auth)
      .send({ name: "Doc check", metadata: { name: "Doc check", description: "The document describes it" } })
      .expect(200);
    const id = created.body.identifier as string;
    expect(validate("/api/dandisets/", "post", 200, created.body)).toEqual([]);
    const checks: [string, string, string][] = [
      ["/api/dandisets/", "/api/dandisets/", "get"],
      ["/api/dandisets/{dandisetId}/", `/api/dandisets/${id}/`, "get"],
      ["/api/dandisets/{dandisetId}/users/", `/api/dandisets/${id}/users/`, "get"],
      ["/api/dandisets/{dandisetId}/versions/", `/api/dandisets/${id}/versions/`, "get"],
      ["/api/dandisets/{dandisetId}/versions/{version}/info/", `/api/dandisets/${id}/versions/draft/info/`, "get"],
      ["/api/dandisets/{dandiset_id}/versions/{version}/assets/", `/api/dandisets/${id}/versions/draft/assets/`, "get"],
      ["/api/dandisets/search/", "/api/dandisets/search/", "get"],
      ["/api/info/", "/api/info/", "get"],
      ["/api/users/me/", "/api/users/me/", "get"],
      ["/api/stats/", "/api/stats/", "get"],
    ];
    for (const [template, url] of checks) {
      const res = await request(ctx.app).get(url).set(auth).expect(200);
      expect(validate(template, "get", 200, res.body), url).toEqual([]);
    }
    const star = await request(ctx.app).post(`/api/dandisets/${id}/star/`).set(auth).expect(200);
    expect(validate("/api/dandisets/{dandisetId}/star/", "post", 200, star.body)).toEqual([]);
    const missing = await request(ctx.app).get("/api/dandisets/999999/").expect(404);
    expect(validate("/api/dandisets/{dandisetId}/", "get", 404, missing.body)).toEqual([]);
  });

  it("would catch a response that does not match (the check can fail)", () => {
    expect(validate("/api/stats/", "get", 200, { dandiset_count: "many" })).not.toEqual([]);
  });
});
