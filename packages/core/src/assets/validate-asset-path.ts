import { ApiError } from "../errors";

/** DANDI's path alphabet: the character class of ASSET_PATH_REGEX. */
const C = String.raw`[A-z0-9(),&\s#+~_=-]`;
/**
 * Equivalent to DANDI's `^([C]?\/?\.?[C])+$`, rewritten so that each repetition
 * ends in exactly one C: DANDI's form backtracks exponentially in JavaScript on
 * long invalid paths, this one is linear.
 */
const PATH_RE = new RegExp(String.raw`^(?:(?:\/\.?|\.)?${C})+$`);

export const MAX_ASSET_PATH_LENGTH = 512;

/**
 * Checks an asset path as DANDI does; throws DANDI's 400s. Rejects '', '/', a
 * leading '/', '.' and '..' segments, empty segments and NUL; accepts 'foo/.bar'.
 */
export function validateAssetPath(path: string): void {
  if (path.startsWith("/")) throw ApiError.string(400, "Path must not begin with /");
  if (!PATH_RE.test(path)) throw ApiError.string(400, "Path improperly formatted");
  if (path.length > MAX_ASSET_PATH_LENGTH) {
    throw ApiError.fields({
      path: [`Ensure this value has at most ${MAX_ASSET_PATH_LENGTH} characters (it has ${path.length}).`],
    });
  }
}
