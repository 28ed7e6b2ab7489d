-- CreateTable
CREATE TABLE "version_asset_chunks" (
    "id" BIGSERIAL NOT NULL,
    "version_id" INTEGER NOT NULL,
    "first_created" TIMESTAMPTZ(6) NOT NULL,
    "first_asset_id" BIGINT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "version_asset_chunks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "version_asset_chunks_version_id_first_created_first_asset_i_key" ON "version_asset_chunks"("version_id", "first_created", "first_asset_id");

-- AddForeignKey
ALTER TABLE "version_asset_chunks" ADD CONSTRAINT "version_asset_chunks_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
