-- AlterTable
ALTER TABLE "engine_runs" ADD COLUMN     "events" JSONB;

-- CreateTable
CREATE TABLE "engine_batch_events" (
    "id" BIGSERIAL NOT NULL,
    "function_id" TEXT NOT NULL,
    "batch_key" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engine_batch_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "engine_batch_events_function_id_batch_key_id_idx" ON "engine_batch_events"("function_id", "batch_key", "id");

-- CreateIndex
CREATE UNIQUE INDEX "engine_batch_events_function_id_event_id_key" ON "engine_batch_events"("function_id", "event_id");
