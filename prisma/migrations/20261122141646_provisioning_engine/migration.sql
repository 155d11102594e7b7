-- CreateEnum
CREATE TYPE "DeprovisionAction" AS ENUM ('SUSPEND', 'DELETE');

-- CreateEnum
CREATE TYPE "AccountStatus" AS ENUM ('PROVISIONING', 'PROVISIONED', 'MODIFYING', 'FAILED', 'DELETING', 'DEPROVISIONED');

-- CreateEnum
CREATE TYPE "TaskKind" AS ENUM ('PROVISION', 'DEPROVISION');

-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('OPEN', 'DONE', 'ERRORED');

-- CreateEnum
CREATE TYPE "Operation" AS ENUM ('PROVISION', 'DEPROVISION');

-- AlterEnum (a rename keeps every grant's status)
ALTER TYPE "GrantStatus" RENAME VALUE 'DEPROVISIONING' TO 'DELETING';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "ProvisioningMethod" ADD VALUE 'LDAP_GROUP';
ALTER TYPE "ProvisioningMethod" ADD VALUE 'WEBHOOK';
ALTER TYPE "ProvisioningMethod" ADD VALUE 'JIRA';
ALTER TYPE "ProvisioningMethod" ADD VALUE 'SERVICENOW';
ALTER TYPE "ProvisioningMethod" ADD VALUE 'MANUAL';

-- DropIndex
DROP INDEX "ProvisioningAttempt_grantId_number_key";


-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN     "escalatedFromId" TEXT,
ADD COLUMN     "remindedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "AccessRequest" ADD COLUMN     "durationDays" INTEGER,
ADD COLUMN     "requestedById" TEXT;

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN     "importedFromId" TEXT,
ADD COLUMN     "provisioningNotes" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "provisioningPlan" JSONB;

-- AlterTable
ALTER TABLE "Grant" ADD COLUMN     "deprovisionedAt" TIMESTAMP(3),
ADD COLUMN     "revokeReason" TEXT,
ADD COLUMN     "awaitingRelease" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requesterNotifiedAt" TIMESTAMP(3),
ADD COLUMN     "expiresAt" TIMESTAMP(3),
ADD COLUMN     "expiryWarnedAt" TIMESTAMP(3),
ADD COLUMN     "revokeRequestedAt" TIMESTAMP(3),
ADD COLUMN     "revokedById" TEXT;

-- AlterTable
ALTER TABLE "ProvisioningAttempt" ADD COLUMN     "detail" TEXT,
ADD COLUMN     "method" "ProvisioningMethod" NOT NULL DEFAULT 'SCIM',
ADD COLUMN     "operation" "Operation" NOT NULL DEFAULT 'PROVISION',
ADD COLUMN     "stepIndex" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Connector" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "method" "ProvisioningMethod" NOT NULL,
    "name" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "maxAttempts" INTEGER NOT NULL DEFAULT 5,
    "backoffMs" INTEGER NOT NULL DEFAULT 2000,
    "retryableStatuses" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "importGroups" BOOLEAN NOT NULL DEFAULT false,
    "lastImportAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Connector_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "accountTemplate" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "deprovisionAction" "DeprovisionAction" NOT NULL DEFAULT 'SUSPEND',
ADD COLUMN     "provisioningPlan" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "requireProvisioningApproval" BOOLEAN NOT NULL DEFAULT false;

-- Move each app's SCIM connection into a connector, and make it the app's one-step plan (hand-written).
INSERT INTO "Connector" ("id", "appId", "method", "name", "config")
SELECT 'conn_' || "id", "id", 'SCIM', 'SCIM', "connectorConfig" FROM "App" WHERE "connectorConfig" <> '{}'::jsonb;
UPDATE "App" SET "provisioningPlan" = jsonb_build_array(jsonb_build_object('method', 'SCIM', 'connectorId', 'conn_' || "id"))
WHERE "connectorConfig" <> '{}'::jsonb;

ALTER TABLE "App" DROP COLUMN "connectorConfig",
DROP COLUMN "provisioningMethod";

-- CreateTable
CREATE TABLE "AppProvisioner" (
    "appId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "AppProvisioner_pkey" PRIMARY KEY ("appId","userId")
);

-- CreateTable
CREATE TABLE "AppAccount" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "externalId" TEXT,
    "userName" TEXT NOT NULL,
    "createdByPortal" BOOLEAN NOT NULL,
    "status" "AccountStatus" NOT NULL DEFAULT 'PROVISIONED',
    "failureReason" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AppAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProvisionedEffect" (
    "id" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "method" "ProvisioningMethod" NOT NULL,
    "target" TEXT NOT NULL,
    "connectorId" TEXT,
    "groupName" TEXT,
    "reference" TEXT,
    "createdByPortal" BOOLEAN NOT NULL,
    "removedAt" TIMESTAMP(3),
    "removalNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProvisionedEffect_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProvisioningTask" (
    "id" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "kind" "TaskKind" NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'OPEN',
    "assigneeId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "history" JSONB NOT NULL DEFAULT '[]',
    "outcomeNote" TEXT,
    "completedById" TEXT,
    "completedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProvisioningTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TaskComment" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TaskComment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Connector_appId_name_key" ON "Connector"("appId", "name");

-- CreateIndex
CREATE INDEX "AppAccount_userId_idx" ON "AppAccount"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "AppAccount_connectorId_userId_key" ON "AppAccount"("connectorId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "ProvisionedEffect_grantId_stepIndex_key" ON "ProvisionedEffect"("grantId", "stepIndex");

-- CreateIndex
CREATE INDEX "ProvisioningTask_assigneeId_status_idx" ON "ProvisioningTask"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "ProvisioningTask_status_kind_idx" ON "ProvisioningTask"("status", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ProvisioningTask_grantId_kind_stepIndex_key" ON "ProvisioningTask"("grantId", "kind", "stepIndex");

-- CreateIndex
CREATE INDEX "TaskComment_taskId_createdAt_idx" ON "TaskComment"("taskId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProvisioningAttempt_grantId_operation_stepIndex_number_key" ON "ProvisioningAttempt"("grantId", "operation", "stepIndex", "number");

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Connector" ADD CONSTRAINT "Connector_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppProvisioner" ADD CONSTRAINT "AppProvisioner_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppProvisioner" ADD CONSTRAINT "AppProvisioner_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppAccount" ADD CONSTRAINT "AppAccount_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppAccount" ADD CONSTRAINT "AppAccount_connectorId_fkey" FOREIGN KEY ("connectorId") REFERENCES "Connector"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppAccount" ADD CONSTRAINT "AppAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProvisionedEffect" ADD CONSTRAINT "ProvisionedEffect_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProvisioningTask" ADD CONSTRAINT "ProvisioningTask_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProvisioningTask" ADD CONSTRAINT "ProvisioningTask_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProvisioningTask" ADD CONSTRAINT "ProvisioningTask_completedById_fkey" FOREIGN KEY ("completedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskComment" ADD CONSTRAINT "TaskComment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "ProvisioningTask"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TaskComment" ADD CONSTRAINT "TaskComment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
