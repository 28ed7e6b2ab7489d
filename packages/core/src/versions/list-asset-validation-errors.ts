import type { Db } from "@dandi/db";

export interface TAssetValidationError {
  field: string;
  message: string;
  path: string;
}

const PENDING_MESSAGE = "asset is currently being validated, please wait.";

/**
 * DANDI's Version.asset_validation_errors: up to 50 Pending/Validating assets
 * (as a "please wait" entry each), then the errors of the 50 Invalid assets
 * with the most errors.
 */
export async function listAssetValidationErrors(db: Db, versionId: number): Promise<TAssetValidationError[]> {
  const [pending, invalid] = await Promise.all([
    db.$queryRaw<{ path: string }[]>`
      SELECT va.path FROM version_assets va JOIN assets a ON a.id = va.asset_id
      WHERE va.version_id = ${versionId} AND a.status IN ('Pending', 'Validating') LIMIT 50`,
    db.$queryRaw<{ path: string; errors: unknown }[]>`
      SELECT va.path, a.validation_errors AS errors FROM version_assets va JOIN assets a ON a.id = va.asset_id
      WHERE va.version_id = ${versionId} AND a.status = 'Invalid'
      ORDER BY jsonb_array_length(a.validation_errors) DESC LIMIT 50`,
  ]);
  const errors: TAssetValidationError[] = pending.map(({ path }) => ({ field: "", message: PENDING_MESSAGE, path }));
  for (const { path, errors: list } of invalid) {
    for (const e of Array.isArray(list) ? (list as { field?: string; message?: string }[]) : []) {
      errors.push({ field: e.field ?? "", message: e.message ?? "", path });
    }
  }
  return errors;
}
