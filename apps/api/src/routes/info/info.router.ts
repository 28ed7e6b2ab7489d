import { Router } from "express";
import { z } from "zod";
import { ApiError, SCHEMA_MODELS, type SchemaModel } from "@dandi/core";
import { json, registry, ZJsonObject } from "../../openapi";
import { ZInfoSchema } from "./info.schemas";
import { presentInfo } from "./info.presenter";

const ZSchemaQuery = z.object({ model: z.string() });

registry.registerPath({
  method: "get",
  path: "/api/info/",
  summary: "Server information for clients",
  responses: { 200: json("Info", ZInfoSchema) },
});
registry.registerPath({
  method: "get",
  path: "/api/schemas/",
  summary: "JSON Schema of a metadata model",
  request: { query: ZSchemaQuery },
  responses: { 200: json("JSON Schema", ZJsonObject), 400: { description: "Unknown model" } },
});
registry.registerPath({
  method: "get",
  path: "/api/schemas/available/",
  summary: "Schema models",
  responses: { 200: json("Model names", z.array(z.string())) },
});

/** /api/info/ and the schema endpoints. */
export function infoRouter(): Router {
  const router = Router();
  router.get("/info/", (req, res) => {
    res.json(presentInfo(req.deps));
  });
  router.get("/schemas/available/", (_req, res) => {
    res.json(SCHEMA_MODELS);
  });
  router.get("/schemas/", (req, res) => {
    // DRF ChoiceField messages, as DANDI's SchemaQuerySerializer answers.
    if (req.query.model === undefined) throw ApiError.fields({ model: ["This field is required."] });
    const model = String(req.query.model);
    if (!SCHEMA_MODELS.includes(model as SchemaModel)) {
      throw ApiError.fields({ model: [`"${model}" is not a valid choice.`] });
    }
    res.json(req.deps.schemas.schema(model as SchemaModel));
  });
  return router;
}
