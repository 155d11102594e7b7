-- CreateEnum
CREATE TYPE "ReconcileStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "FindingKind" AS ENUM ('MISSING', 'UNMANAGED', 'ORPHAN', 'DRIFT');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('OPEN', 'REPAIRING', 'REPAIRED', 'ADOPTED', 'REVOKING', 'REVOKED', 'IGNORED', 'RESOLVED');

-- CreateEnum
CREATE TYPE "TargetState" AS ENUM ('CONFIRMED', 'MISSING', 'UNKNOWN');

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "portalAuthoritative" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Connector" ADD COLUMN     "lastReconciledAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Grant" ADD COLUMN     "adoptedById" TEXT,
ADD COLUMN     "adoptionNote" TEXT,
ADD COLUMN     "targetCheckedAt" TIMESTAMP(3),
ADD COLUMN     "targetNote" TEXT,
ADD COLUMN     "targetState" "TargetState";

-- CreateTable
CREATE TABLE "ReconcileRun" (
    "id" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "requestedById" TEXT,
    "status" "ReconcileStatus" NOT NULL DEFAULT 'RUNNING',
    "progress" TEXT NOT NULL DEFAULT 'Starting',
    "error" TEXT,
    "accounts" INTEGER NOT NULL DEFAULT 0,
    "memberships" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "repairs" INTEGER NOT NULL DEFAULT 0,
    "heldReason" TEXT,
    "readMs" INTEGER,
    "compareMs" INTEGER,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ReconcileRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReconcileFinding" (
    "id" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "kind" "FindingKind" NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "status" "FindingStatus" NOT NULL DEFAULT 'OPEN',
    "userId" TEXT,
    "entitlementId" TEXT,
    "grantId" TEXT,
    "accountId" TEXT,
    "accountName" TEXT NOT NULL DEFAULT '',
    "groupId" TEXT,
    "groupName" TEXT,
    "detail" TEXT NOT NULL DEFAULT '',
    "preExisting" BOOLEAN NOT NULL DEFAULT false,
    "firstSeenRunId" TEXT NOT NULL,
    "lastSeenRunId" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,
    "resolution" TEXT,

    CONSTRAINT "ReconcileFinding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReconcileRun_connectorId_startedAt_idx" ON "ReconcileRun"("connectorId", "startedAt");

-- CreateIndex
CREATE INDEX "ReconcileRun_appId_startedAt_idx" ON "ReconcileRun"("appId", "startedAt");

-- CreateIndex
CREATE INDEX "ReconcileFinding_appId_status_kind_idx" ON "ReconcileFinding"("appId", "status", "kind");

-- CreateIndex
CREATE INDEX "ReconcileFinding_userId_idx" ON "ReconcileFinding"("userId");

-- CreateIndex
CREATE INDEX "ReconcileFinding_grantId_idx" ON "ReconcileFinding"("grantId");

-- CreateIndex
CREATE UNIQUE INDEX "ReconcileFinding_connectorId_kind_subjectKey_key" ON "ReconcileFinding"("connectorId", "kind", "subjectKey");

-- AddForeignKey
ALTER TABLE "ReconcileRun" ADD CONSTRAINT "ReconcileRun_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconcileFinding" ADD CONSTRAINT "ReconcileFinding_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconcileFinding" ADD CONSTRAINT "ReconcileFinding_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconcileFinding" ADD CONSTRAINT "ReconcileFinding_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconcileFinding" ADD CONSTRAINT "ReconcileFinding_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconcileFinding" ADD CONSTRAINT "ReconcileFinding_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReconcileFinding" ADD CONSTRAINT "ReconcileFinding_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
