-- Path-filtered and glob-filtered asset lists read only version_assets columns.
-- With path, created and asset_id included, the case-insensitive prefix index
-- answers them (and their counts) with index-only scans, with no heap visits.
-- It replaces the plain lower(path) index of the init migration.
CREATE INDEX "version_assets_lower_path_cover_idx" ON "version_assets" ("version_id", lower("path") text_pattern_ops) INCLUDE ("path", "created", "asset_id");
DROP INDEX IF EXISTS "version_assets_lower_path_idx";
