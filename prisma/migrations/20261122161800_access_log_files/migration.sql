-- CreateTable
CREATE TABLE "access_log_files" (
    "key" TEXT NOT NULL,
    "processed" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "download_hits" INTEGER NOT NULL,

    CONSTRAINT "access_log_files_pkey" PRIMARY KEY ("key")
);
