import { isSafeKey } from "../storage/local-storage";
import { zarrKeyPrefix } from "../storage/storage";

/** DANDI's validate_zarr_path message (a path with a ".." segment could leave the zarr's prefix). */
export const ZARR_DOTDOT_MESSAGE = 'Zarr path cannot contain ".." components.';

/**
 * The error message for a zarr file path, or null when it is fine: DANDI's ".."
 * rule (after turning backslashes into slashes), and a key both storage backends
 * can hold (no empty or "." segments, no NUL).
 */
export function zarrPathError(path: string): string | null {
  if (path.replace(/\\/g, "/").split("/").includes("..")) return ZARR_DOTDOT_MESSAGE;
  if (!isSafeKey(`${zarrKeyPrefix("z")}${path}`)) return "Not a valid zarr file path.";
  return null;
}
