import type { Request } from "express";
import {
  ApiError,
  ASSET_SEARCH_FILE_TYPES,
  ASSET_SEARCH_MEASUREMENT_TECHNIQUES,
  findUnknownSpecies,
  type TAssetSearchFilters,
} from "@dandi/core";

const MAX_BIGINT = 9223372036854775807n;
type TErrors = Record<string, unknown>;

/** Every value of a repeatable query parameter (`?x=a&x=b`). */
function readList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** DRF MultipleChoiceField: every value must be one of `choices`. */
function readChoices(req: Request, name: string, choices: readonly string[], errors: TErrors): string[] {
  const values = readList(req.query[name]);
  const invalid = values.filter((v) => !choices.includes(v));
  if (invalid.length) errors[name] = invalid.map((v) => `"${v}" is not a valid choice.`);
  return [...new Set(values)];
}

/** DRF IntegerField(min_value=0) on the last value given. */
function readSize(req: Request, name: string, errors: TErrors): bigint | undefined {
  const values = readList(req.query[name]);
  if (values.length === 0) return undefined;
  const raw = values[values.length - 1]!.trim();
  if (!/^[+-]?\d+(\.0*)?$/.test(raw)) {
    errors[name] = ["A valid integer is required."];
    return undefined;
  }
  const value = BigInt(raw.replace(/\.0*$/, ""));
  if (value < 0n) errors[name] = ["Ensure this value is greater than or equal to 0."];
  else if (value > MAX_BIGINT) errors[name] = [`Ensure this value is less than or equal to ${MAX_BIGINT}.`];
  else return value;
  return undefined;
}

/** DRF ListField(child=CharField()): values are trimmed and may not be blank. */
function readGenotypes(req: Request, errors: TErrors): string[] {
  const values = readList(req.query.genotype).map((v) => v.trim());
  const itemErrors: Record<string, string[]> = {};
  values.forEach((v, i) => {
    if (v === "") itemErrors[String(i)] = ["This field may not be blank."];
  });
  if (Object.keys(itemErrors).length) errors.genotype = itemErrors;
  return values;
}

/**
 * The asset filters of GET /api/dandisets/search/, validated as DANDI's
 * DandisetSearchQueryParameterSerializer: all field errors in one 400
 * {"field": [...]}, then the size range check as a non-field error. Species
 * must be names that some asset the caller may see has.
 */
export async function readAssetSearchFilters(req: Request): Promise<TAssetSearchFilters> {
  const errors: TErrors = {};
  const fileTypes = readChoices(req, "file_type", ASSET_SEARCH_FILE_TYPES, errors);
  const measurementTechniques = readChoices(req, "measurement_technique", ASSET_SEARCH_MEASUREMENT_TECHNIQUES, errors);
  const fileSizeMin = readSize(req, "file_size_min", errors);
  const fileSizeMax = readSize(req, "file_size_max", errors);
  const genotypes = readGenotypes(req, errors);
  const species = [...new Set(readList(req.query.species))];
  const unknown = await findUnknownSpecies(req.deps.prisma, req.user, species);
  if (unknown.length) errors.species = unknown.map((v) => `"${v}" is not a valid choice.`);
  if (Object.keys(errors).length) throw new ApiError(400, errors);
  if (fileSizeMin !== undefined && fileSizeMax !== undefined && fileSizeMax < fileSizeMin) {
    throw ApiError.fields({ non_field_errors: ["file_size_max must be greater than file_size_min"] });
  }
  return { fileTypes, fileSizeMin, fileSizeMax, genotypes, species, measurementTechniques };
}
