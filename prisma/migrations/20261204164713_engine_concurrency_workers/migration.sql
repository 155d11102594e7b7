-- CreateTable
CREATE TABLE "engine_run_concurrency" (
    "run_id" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "limit" INTEGER NOT NULL,

    CONSTRAINT "engine_run_concurrency_pkey" PRIMARY KEY ("run_id","queue")
);

-- CreateTable
CREATE TABLE "engine_workers" (
    "id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "engine_workers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "engine_run_concurrency_queue_idx" ON "engine_run_concurrency"("queue");

-- CreateIndex
CREATE INDEX "engine_workers_heartbeat_at_idx" ON "engine_workers"("heartbeat_at");

-- AddForeignKey
ALTER TABLE "engine_run_concurrency" ADD CONSTRAINT "engine_run_concurrency_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "engine_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
