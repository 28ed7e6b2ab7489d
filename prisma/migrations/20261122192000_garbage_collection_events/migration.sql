-- CreateTable
CREATE TABLE "garbage_collection_events" (
    "id" SERIAL NOT NULL,
    "timestamp" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" VARCHAR(255) NOT NULL,

    CONSTRAINT "garbage_collection_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "garbage_collection_event_records" (
    "id" BIGSERIAL NOT NULL,
    "event_id" INTEGER NOT NULL,
    "record" JSONB NOT NULL,

    CONSTRAINT "garbage_collection_event_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "garbage_collection_events_timestamp_idx" ON "garbage_collection_events"("timestamp");

-- CreateIndex
CREATE INDEX "garbage_collection_event_records_event_id_idx" ON "garbage_collection_event_records"("event_id");

-- AddForeignKey
ALTER TABLE "garbage_collection_event_records" ADD CONSTRAINT "garbage_collection_event_records_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "garbage_collection_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
