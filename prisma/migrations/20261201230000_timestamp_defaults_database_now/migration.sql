-- Column defaults computed by PostgreSQL (now(), microseconds) rather than by Prisma's client (a JS Date,
-- milliseconds): the schema says dbgenerated("now()"), so Prisma leaves the column to the database.
-- AlterTable
ALTER TABLE "users" ALTER COLUMN "date_joined" SET DEFAULT now();

-- AlterTable
ALTER TABLE "api_tokens" ALTER COLUMN "created" SET DEFAULT now();

-- AlterTable
ALTER TABLE "dandisets" ALTER COLUMN "created" SET DEFAULT now(),
ALTER COLUMN "modified" SET DEFAULT now();

-- AlterTable
ALTER TABLE "dandiset_owners" ALTER COLUMN "created" SET DEFAULT now();

-- AlterTable
ALTER TABLE "dandiset_stars" ALTER COLUMN "created" SET DEFAULT now();

-- AlterTable
ALTER TABLE "versions" ALTER COLUMN "created" SET DEFAULT now(),
ALTER COLUMN "modified" SET DEFAULT now();

-- AlterTable
ALTER TABLE "asset_blobs" ALTER COLUMN "created" SET DEFAULT now(),
ALTER COLUMN "modified" SET DEFAULT now();

-- AlterTable
ALTER TABLE "uploads" ALTER COLUMN "created" SET DEFAULT now();

-- AlterTable
ALTER TABLE "assets" ALTER COLUMN "created" SET DEFAULT now(),
ALTER COLUMN "modified" SET DEFAULT now();

-- AlterTable
ALTER TABLE "zarr_archives" ALTER COLUMN "created" SET DEFAULT now(),
ALTER COLUMN "modified" SET DEFAULT now();

-- AlterTable
ALTER TABLE "audit_records" ALTER COLUMN "timestamp" SET DEFAULT now();

-- AlterTable
ALTER TABLE "application_stats" ALTER COLUMN "timestamp" SET DEFAULT now();

-- AlterTable
ALTER TABLE "access_log_files" ALTER COLUMN "processed" SET DEFAULT now();

-- AlterTable
ALTER TABLE "garbage_collection_events" ALTER COLUMN "timestamp" SET DEFAULT now();

-- AlterTable
ALTER TABLE "job_outbox" ALTER COLUMN "created" SET DEFAULT now();
