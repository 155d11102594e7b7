-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- CreateEnum
CREATE TYPE "SodAction" AS ENUM ('BLOCK', 'EXCEPTION');

-- CreateEnum
CREATE TYPE "PolicyChangeStatus" AS ENUM ('PENDING', 'APPLIED', 'REJECTED');

-- AlterEnum
ALTER TYPE "StepStatus" ADD VALUE 'SKIPPED';

-- AlterTable
ALTER TABLE "AccessRequest" ADD COLUMN     "plannedSteps" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "policyId" TEXT,
ADD COLUMN     "policyName" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "requestPolicyId" TEXT;

-- AlterTable
ALTER TABLE "ApprovalStep" ADD COLUMN     "assignedAs" TEXT NOT NULL DEFAULT 'MANAGER',
ADD COLUMN     "delegatedFromId" TEXT,
ADD COLUMN     "groupId" TEXT,
ADD COLUMN     "label" TEXT NOT NULL DEFAULT 'Approval',
ADD COLUMN     "reassignReason" TEXT,
ADD COLUMN     "reassignedFromId" TEXT,
ADD COLUMN     "requireAll" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "routingNote" TEXT;

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN     "adminAccess" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requestPolicyId" TEXT,
ADD COLUMN     "riskLevel" "RiskLevel" NOT NULL DEFAULT 'LOW';

-- CreateTable
CREATE TABLE "RequestPolicy" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "steps" JSONB NOT NULL DEFAULT '[]',
    "conditions" JSONB NOT NULL DEFAULT '[]',
    "autoApprove" BOOLEAN NOT NULL DEFAULT false,
    "maxDurationDays" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RequestPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PortalSetting" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "globalPolicyId" TEXT,

    CONSTRAINT "PortalSetting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserGroup" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UserGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserGroupMember" (
    "groupId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,

    CONSTRAINT "UserGroupMember_pkey" PRIMARY KEY ("groupId","userId")
);

-- CreateTable
CREATE TABLE "PolicyChange" (
    "id" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "coversAdminAccess" BOOLEAN NOT NULL DEFAULT false,
    "status" "PolicyChangeStatus" NOT NULL DEFAULT 'PENDING',
    "proposedById" TEXT NOT NULL,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delegation" (
    "id" TEXT NOT NULL,
    "delegatorId" TEXT NOT NULL,
    "delegateId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Delegation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SodRule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "action" "SodAction" NOT NULL DEFAULT 'BLOCK',
    "exceptionApproverId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SodRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SodRuleEntitlement" (
    "ruleId" TEXT NOT NULL,
    "entitlementId" TEXT NOT NULL,

    CONSTRAINT "SodRuleEntitlement_pkey" PRIMARY KEY ("ruleId","entitlementId")
);

-- CreateIndex
CREATE UNIQUE INDEX "RequestPolicy_name_key" ON "RequestPolicy"("name");

-- CreateIndex
CREATE UNIQUE INDEX "UserGroup_name_key" ON "UserGroup"("name");

-- CreateIndex
CREATE INDEX "UserGroupMember_userId_idx" ON "UserGroupMember"("userId");

-- CreateIndex
CREATE INDEX "PolicyChange_status_createdAt_idx" ON "PolicyChange"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Delegation_delegatorId_endsAt_idx" ON "Delegation"("delegatorId", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "SodRule_name_key" ON "SodRule"("name");

-- CreateIndex
CREATE INDEX "SodRuleEntitlement_entitlementId_idx" ON "SodRuleEntitlement"("entitlementId");

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_requestPolicyId_fkey" FOREIGN KEY ("requestPolicyId") REFERENCES "RequestPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Entitlement" ADD CONSTRAINT "Entitlement_requestPolicyId_fkey" FOREIGN KEY ("requestPolicyId") REFERENCES "RequestPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PortalSetting" ADD CONSTRAINT "PortalSetting_globalPolicyId_fkey" FOREIGN KEY ("globalPolicyId") REFERENCES "RequestPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserGroupMember" ADD CONSTRAINT "UserGroupMember_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "UserGroup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserGroupMember" ADD CONSTRAINT "UserGroupMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyChange" ADD CONSTRAINT "PolicyChange_proposedById_fkey" FOREIGN KEY ("proposedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyChange" ADD CONSTRAINT "PolicyChange_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_delegatorId_fkey" FOREIGN KEY ("delegatorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delegation" ADD CONSTRAINT "Delegation_delegateId_fkey" FOREIGN KEY ("delegateId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SodRule" ADD CONSTRAINT "SodRule_exceptionApproverId_fkey" FOREIGN KEY ("exceptionApproverId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SodRuleEntitlement" ADD CONSTRAINT "SodRuleEntitlement_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "SodRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SodRuleEntitlement" ADD CONSTRAINT "SodRuleEntitlement_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "RequestPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;
