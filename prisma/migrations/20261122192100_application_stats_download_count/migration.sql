-- AlterTable
ALTER TABLE "application_stats" ADD COLUMN     "download_count" BIGINT NOT NULL DEFAULT 0;
