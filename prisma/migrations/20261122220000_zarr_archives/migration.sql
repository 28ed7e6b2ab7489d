-- AlterTable
ALTER TABLE "assets" ADD COLUMN     "zarr_id" BIGINT;

-- CreateTable
CREATE TABLE "zarr_archives" (
    "id" BIGSERIAL NOT NULL,
    "zarr_id" UUID NOT NULL,
    "dandiset_id" INTEGER NOT NULL,
    "name" VARCHAR(512) NOT NULL,
    "file_count" BIGINT NOT NULL DEFAULT 0,
    "size" BIGINT NOT NULL DEFAULT 0,
    "checksum" VARCHAR(512),
    "status" TEXT NOT NULL DEFAULT 'Pending',
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "modified" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "zarr_archives_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "zarr_archives_zarr_id_key" ON "zarr_archives"("zarr_id");

-- CreateIndex
CREATE INDEX "zarr_archives_status_idx" ON "zarr_archives"("status");

-- CreateIndex
CREATE UNIQUE INDEX "zarr_archives_dandiset_id_name_key" ON "zarr_archives"("dandiset_id", "name");

-- CreateIndex
CREATE INDEX "assets_zarr_id_idx" ON "assets"("zarr_id");

-- AddForeignKey
ALTER TABLE "assets" ADD CONSTRAINT "assets_zarr_id_fkey" FOREIGN KEY ("zarr_id") REFERENCES "zarr_archives"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "zarr_archives" ADD CONSTRAINT "zarr_archives_dandiset_id_fkey" FOREIGN KEY ("dandiset_id") REFERENCES "dandisets"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written: DANDI's CHECK constraints on zarr archives and assets.
ALTER TABLE "zarr_archives" ADD CONSTRAINT "zarr_archives_status_check"
  CHECK ("status" IN ('Pending', 'Uploaded', 'Ingesting', 'Complete'));
ALTER TABLE "zarr_archives" ADD CONSTRAINT "zarr_archives_checksum_iff_complete"
  CHECK (("checksum" IS NOT NULL) = ("status" = 'Complete'));
ALTER TABLE "assets" ADD CONSTRAINT "assets_blob_xor_zarr"
  CHECK (("blob_id" IS NULL) <> ("zarr_id" IS NULL));
