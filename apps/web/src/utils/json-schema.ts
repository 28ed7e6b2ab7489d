/**
 * Just enough JSON Schema (draft 2020-12 as pydantic writes it) to lay out the
 * metadata editor's form: `$ref` into `$defs`, `oneOf`/`anyOf` alternatives
 * (with a discriminator on `schemaKey`) and defaults. Validation is not done
 * here: ajv does it, as on the server (metadata-validation.ts).
 */

export interface TSchema {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, TSchema>;
  required?: string[];
  items?: TSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  pattern?: string;
  format?: string;
  maxLength?: number;
  minLength?: number;
  minItems?: number;
  readOnly?: boolean;
  anyOf?: TSchema[];
  oneOf?: TSchema[];
  allOf?: TSchema[];
  $defs?: Record<string, TSchema>;
  definitions?: Record<string, TSchema>;
  [key: string]: unknown;
}

/** Follows local `$ref`s (`#/$defs/X`) and folds a one-element `allOf`, keeping the referring node's annotations. */
export function resolveSchema(schema: TSchema, root: TSchema): TSchema {
  let node = schema;
  for (let depth = 0; depth < 32; depth += 1) {
    if (node.$ref) {
      const target = lookupRef(node.$ref, root);
      const { $ref: _ref, ...rest } = node;
      node = { ...target, ...rest };
    } else if (node.allOf?.length === 1) {
      const { allOf, ...rest } = node;
      node = { ...allOf[0], ...rest };
    } else break;
  }
  return node;
}

function lookupRef(ref: string, root: TSchema): TSchema {
  if (!ref.startsWith("#/")) throw new Error(`Unsupported $ref ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = (node as Record<string, unknown>)?.[part];
  if (!node || typeof node !== "object") throw new Error(`Unresolvable $ref ${ref}`);
  return node as TSchema;
}

const isNullSchema = (s: TSchema) => s.type === "null";

/** The alternatives of a `oneOf`/`anyOf` node (null alternatives dropped), each resolved. */
export function schemaVariants(schema: TSchema, root: TSchema): TSchema[] {
  const options = schema.oneOf ?? schema.anyOf;
  if (!options) return [];
  return options.filter((o) => !isNullSchema(o)).map((o) => resolveSchema(o, root));
}

/** A readable label for one alternative. */
export function variantLabel(schema: TSchema): string {
  const key = schema.properties?.schemaKey?.const;
  if (typeof key === "string") return key;
  if (schema.title) return schema.title;
  return Array.isArray(schema.type) ? schema.type.join("/") : (schema.type ?? "value");
}

/** The schema's (first non-null) type, inferred from its keywords when absent. */
export function schemaType(schema: TSchema): string {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null") ?? "null";
  if (schema.type) return schema.type;
  if (schema.properties) return "object";
  if (schema.items) return "array";
  if (schema.enum) return typeof schema.enum[0] === "number" ? "number" : "string";
  return "string";
}

/** Index of the alternative `value` belongs to: by `schemaKey` const first, then by JSON type. */
export function pickVariant(value: unknown, variants: TSchema[]): number {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const key = (value as Record<string, unknown>).schemaKey;
    const byKey = variants.findIndex((v) => v.properties?.schemaKey?.const === key);
    if (byKey >= 0) return byKey;
  }
  const type = jsonType(value);
  const byType = variants.findIndex((v) => {
    const t = schemaType(v);
    return t === type || (t === "integer" && type === "number");
  });
  return byType >= 0 ? byType : 0;
}

function jsonType(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : typeof value;
}

/** A fresh value for a new field or array item: consts, required properties and `schemaKey` filled in. */
export function defaultValue(schema: TSchema, root: TSchema): unknown {
  const node = resolveSchema(schema, root);
  if (node.const !== undefined) return node.const;
  const variants = schemaVariants(node, root);
  if (variants.length) return defaultValue(variants[0]!, root);
  if (node.default !== undefined && node.default !== null) return JSON.parse(JSON.stringify(node.default)); // schemas may sit in reactive stores: no structuredClone
  switch (schemaType(node)) {
    case "object": {
      const result: Record<string, unknown> = {};
      for (const [key, prop] of Object.entries(node.properties ?? {})) {
        const resolved = resolveSchema(prop, root);
        if (resolved.const !== undefined) result[key] = resolved.const;
        else if (node.required?.includes(key) && !resolved.readOnly) result[key] = defaultValue(resolved, root);
      }
      return result;
    }
    case "array":
      return [];
    case "boolean":
      return false;
    case "number":
    case "integer":
      return 0;
    default:
      return node.enum ? node.enum[0] : "";
  }
}
