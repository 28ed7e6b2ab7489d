-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UserStatus" AS ENUM ('INCOMPLETE', 'PENDING', 'APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "EmbargoStatus" AS ENUM ('OPEN', 'EMBARGOED', 'UNEMBARGOING');

-- CreateTable
CREATE TABLE "users" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "first_name" TEXT NOT NULL DEFAULT '',
    "last_name" TEXT NOT NULL DEFAULT '',
    "password_hash" TEXT,
    "is_superuser" BOOLEAN NOT NULL DEFAULT false,
    "is_staff" BOOLEAN NOT NULL DEFAULT false,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "status" "UserStatus" NOT NULL DEFAULT 'INCOMPLETE',
    "questionnaire" JSONB,
    "rejection_reason" TEXT NOT NULL DEFAULT '',
    "github_id" TEXT,
    "github_login" TEXT,
    "github_name" TEXT,
    "date_joined" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_login" TIMESTAMPTZ(6),

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" SERIAL NOT NULL,
    "user_id" INTEGER NOT NULL,
    "key_hash" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dandisets" (
    "id" SERIAL NOT NULL,
    "embargo_status" "EmbargoStatus" NOT NULL DEFAULT 'OPEN',
    "embargo_end_date" DATE,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dandisets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dandiset_owners" (
    "dandiset_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dandiset_owners_pkey" PRIMARY KEY ("dandiset_id","user_id")
);

-- CreateTable
CREATE TABLE "dandiset_stars" (
    "dandiset_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dandiset_stars_pkey" PRIMARY KEY ("dandiset_id","user_id")
);

-- CreateTable
CREATE TABLE "versions" (
    "id" SERIAL NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    "version" VARCHAR(13) NOT NULL,
    "name" VARCHAR(300) NOT NULL,
    "metadata" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'Pending',
    "validation_errors" JSONB NOT NULL DEFAULT '[]',
    "doi" VARCHAR(64),
    "release_notes" VARCHAR(5000) NOT NULL DEFAULT '',
    "asset_count" BIGINT NOT NULL DEFAULT 0,
    "size" BIGINT NOT NULL DEFAULT 0,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "asset_blobs" (
    "id" BIGSERIAL NOT NULL,
    "blob_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "etag" VARCHAR(40) NOT NULL,
    "sha256" CHAR(64),
    "size" BIGINT NOT NULL,
    "embargoed" BOOLEAN NOT NULL DEFAULT false,
    "download_count" BIGINT NOT NULL DEFAULT 0,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "asset_blobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "uploads" (
    "id" SERIAL NOT NULL,
    "upload_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "etag" VARCHAR(40) NOT NULL,
    "size" BIGINT NOT NULL,
    "multipart_upload_id" TEXT NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    "embargoed" BOOLEAN NOT NULL DEFAULT false,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "uploads_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assets" (
    "id" BIGSERIAL NOT NULL,
    "asset_id" UUID NOT NULL,
    "path" VARCHAR(512) NOT NULL,
    "blob_id" BIGINT,
    "metadata" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'Pending',
    "validation_errors" JSONB NOT NULL DEFAULT '[]',
    "published" BOOLEAN NOT NULL DEFAULT false,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "version_assets" (
    "version_id" INTEGER NOT NULL,
    "asset_id" BIGINT NOT NULL,
    "path" VARCHAR(512) NOT NULL,
    "created" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "version_assets_pkey" PRIMARY KEY ("version_id","asset_id")
);

-- CreateTable
CREATE TABLE "asset_paths" (
    "id" BIGSERIAL NOT NULL,
    "version_id" INTEGER NOT NULL,
    "path" VARCHAR(512) NOT NULL,
    "parent" VARCHAR(512) NOT NULL,
    "asset_id" BIGINT,
    "aggregate_files" BIGINT NOT NULL DEFAULT 0,
    "aggregate_size" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "asset_paths_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_records" (
    "id" BIGSERIAL NOT NULL,
    "timestamp" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dandiset_id" INTEGER NOT NULL,
    "username" VARCHAR(39) NOT NULL,
    "user_email" VARCHAR(254) NOT NULL,
    "user_fullname" VARCHAR(301) NOT NULL,
    "record_type" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "admin" BOOLEAN NOT NULL DEFAULT false,
    "description" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "audit_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_stats" (
    "id" SERIAL NOT NULL,
    "timestamp" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dandiset_count" INTEGER NOT NULL,
    "published_dandiset_count" INTEGER NOT NULL,
    "user_count" INTEGER NOT NULL,
    "size" BIGINT NOT NULL,

    CONSTRAINT "application_stats_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "users_username_key" ON "users"("username");

-- CreateIndex
CREATE UNIQUE INDEX "users_github_id_key" ON "users"("github_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_user_id_key" ON "api_tokens"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_key_hash_key" ON "api_tokens"("key_hash");

-- CreateIndex
CREATE INDEX "dandiset_owners_user_id_idx" ON "dandiset_owners"("user_id");

-- CreateIndex
CREATE INDEX "dandiset_stars_user_id_idx" ON "dandiset_stars"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "versions_dandiset_id_version_key" ON "versions"("dandiset_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "asset_blobs_blob_id_key" ON "asset_blobs"("blob_id");

-- CreateIndex
CREATE UNIQUE INDEX "asset_blobs_key_key" ON "asset_blobs"("key");

-- CreateIndex
CREATE UNIQUE INDEX "asset_blobs_etag_key" ON "asset_blobs"("etag");

-- CreateIndex
CREATE UNIQUE INDEX "uploads_upload_id_key" ON "uploads"("upload_id");

-- CreateIndex
CREATE UNIQUE INDEX "uploads_key_key" ON "uploads"("key");

-- CreateIndex
CREATE UNIQUE INDEX "uploads_multipart_upload_id_key" ON "uploads"("multipart_upload_id");

-- CreateIndex
CREATE INDEX "uploads_dandiset_id_idx" ON "uploads"("dandiset_id");

-- CreateIndex
CREATE INDEX "uploads_created_idx" ON "uploads"("created");

-- CreateIndex
CREATE UNIQUE INDEX "assets_asset_id_key" ON "assets"("asset_id");

-- CreateIndex
CREATE INDEX "assets_blob_id_idx" ON "assets"("blob_id");

-- CreateIndex
CREATE INDEX "assets_status_idx" ON "assets"("status");

-- CreateIndex
CREATE INDEX "version_assets_version_id_created_asset_id_idx" ON "version_assets"("version_id", "created", "asset_id");

-- CreateIndex
CREATE INDEX "version_assets_asset_id_idx" ON "version_assets"("asset_id");

-- CreateIndex
CREATE UNIQUE INDEX "version_assets_version_id_path_key" ON "version_assets"("version_id", "path");

-- CreateIndex
CREATE INDEX "asset_paths_version_id_parent_path_idx" ON "asset_paths"("version_id", "parent", "path");

-- CreateIndex
CREATE UNIQUE INDEX "asset_paths_version_id_path_key" ON "asset_paths"("version_id", "path");

-- CreateIndex
CREATE INDEX "audit_records_dandiset_id_timestamp_idx" ON "audit_records"("dandiset_id", "timestamp");

-- CreateIndex
CREATE INDEX "audit_records_record_type_timestamp_idx" ON "audit_records"("record_type", "timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "application_stats_timestamp_key" ON "application_stats"("timestamp");

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dandiset_owners" ADD CONSTRAINT "dandiset_owners_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dandiset_owners" ADD CONSTRAINT "dandiset_owners_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dandiset_stars" ADD CONSTRAINT "dandiset_stars_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dandiset_stars" ADD CONSTRAINT "dandiset_stars_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "versions" ADD CONSTRAINT "versions_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "assets" ADD CONSTRAINT "assets_blob_id_fkey" FOREIGN KEY ("blob_id") REFERENCES "asset_blobs"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_assets" ADD CONSTRAINT "version_assets_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "version_assets" ADD CONSTRAINT "version_assets_asset_id_fkey" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: what the Prisma schema language cannot express. Function bodies are
-- single-quoted: the migration runner splits statements and does not know $$ quoting.

-- Case-insensitive prefix filtering of asset paths (the DANDI path filter is istartswith).
CREATE INDEX "version_assets_lower_path_idx" ON "version_assets" ("version_id", lower("path") text_pattern_ops);

-- Free-text dandiset search is case- and accent-insensitive (DANDI uses unaccent).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE OR REPLACE FUNCTION dandi_search_text(jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS 'SELECT lower(public.unaccent(''public.unaccent''::regdictionary, $1::text))';
CREATE INDEX "versions_search_trgm_idx" ON "versions" USING gin (dandi_search_text("metadata") gin_trgm_ops);

-- Published versions are immutable: enforced in the database as well as in the API.
-- The publish job sets the DOI of the version it created in a transaction that sets
-- the dandi.publishing setting to on. Nothing else may write to a published version.
-- Semicolons inside the body are written as \073 (octal escape in an E-string) because
-- the migration runner splits statements at every semicolon.
CREATE OR REPLACE FUNCTION dandi_protect_published_version() RETURNS trigger
  LANGUAGE plpgsql AS E'
BEGIN
  IF OLD.version <> ''draft'' AND coalesce(current_setting(''dandi.publishing'', true), '''') <> ''on'' AND (
       NEW.metadata IS DISTINCT FROM OLD.metadata OR NEW.name IS DISTINCT FROM OLD.name
       OR NEW.version IS DISTINCT FROM OLD.version OR NEW.dandiset_id IS DISTINCT FROM OLD.dandiset_id) THEN
    RAISE EXCEPTION ''published version % is immutable'', OLD.id USING ERRCODE = ''P0001''\073
  END IF\073
  RETURN NEW\073
END';
CREATE TRIGGER "versions_protect_published" BEFORE UPDATE ON "versions"
  FOR EACH ROW EXECUTE FUNCTION dandi_protect_published_version();
