-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "lastErrorAt" TIMESTAMP(3),
ADD COLUMN     "lastSuccessAt" TIMESTAMP(3),
ADD COLUMN     "outageAlertedAt" TIMESTAMP(3),
ADD COLUMN     "outageWindowSeconds" INTEGER NOT NULL DEFAULT 86400,
ADD COLUMN     "unreachableSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ConnectorWait" (
    "grantId" TEXT NOT NULL,
    "operation" "Operation" NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "connectorId" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectorWait_pkey" PRIMARY KEY ("grantId","operation")
);

-- CreateIndex
CREATE INDEX "ConnectorWait_connectorId_idx" ON "ConnectorWait"("connectorId");

-- AddForeignKey
ALTER TABLE "ConnectorWait" ADD CONSTRAINT "ConnectorWait_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;
