-- CreateEnum
CREATE TYPE "EnrollmentStatus" AS ENUM ('PENDING', 'ENROLLED', 'LEAVING', 'UNENROLLED');

-- CreateEnum
CREATE TYPE "SyncStatus" AS ENUM ('RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "ProfileRole" AS ENUM ('ENROLLMENT', 'EXCLUDED');

-- CreateEnum
CREATE TYPE "LifecycleState" AS ENUM ('ACTIVE', 'LEAVE', 'TERMINATED');

-- AlterEnum
ALTER TYPE "AccountStatus" ADD VALUE 'SUSPENDED';

-- AlterTable
ALTER TABLE "AccessProfile" ADD COLUMN     "requestPolicyId" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "AccessRequest" ADD COLUMN     "profileEnrollmentId" TEXT;

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "isSystem" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN     "profileId" TEXT,
ADD COLUMN     "profileRole" "ProfileRole";

-- AlterTable
ALTER TABLE "Grant" ADD COLUMN     "profileEnrollmentId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "employeeId" TEXT,
ADD COLUMN     "lifecycleChangedAt" TIMESTAMP(3),
ADD COLUMN     "lifecycleState" "LifecycleState" NOT NULL DEFAULT 'ACTIVE',
ADD COLUMN     "location" TEXT,
ADD COLUMN     "scimExternalId" TEXT;

-- CreateTable
CREATE TABLE "EnrollmentRule" (
    "id" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "graceHours" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EnrollmentRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnrollmentRuleEntitlement" (
    "ruleId" TEXT NOT NULL,
    "entitlementId" TEXT NOT NULL,

    CONSTRAINT "EnrollmentRuleEntitlement_pkey" PRIMARY KEY ("ruleId","entitlementId")
);

-- CreateTable
CREATE TABLE "ProfileEnrollment" (
    "id" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "ruleId" TEXT,
    "status" "EnrollmentStatus" NOT NULL DEFAULT 'PENDING',
    "requestId" TEXT,
    "leaveAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProfileEnrollment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProfileSync" (
    "id" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" "SyncStatus" NOT NULL DEFAULT 'RUNNING',
    "progress" TEXT NOT NULL DEFAULT '',
    "matched" INTEGER,
    "enrolled" INTEGER,
    "unenrolled" INTEGER,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ProfileSync_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EnrollmentRule_profileId_idx" ON "EnrollmentRule"("profileId");

-- CreateIndex
CREATE INDEX "EnrollmentRuleEntitlement_entitlementId_idx" ON "EnrollmentRuleEntitlement"("entitlementId");

-- CreateIndex
CREATE UNIQUE INDEX "ProfileEnrollment_requestId_key" ON "ProfileEnrollment"("requestId");

-- CreateIndex
CREATE INDEX "ProfileEnrollment_profileId_status_idx" ON "ProfileEnrollment"("profileId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ProfileEnrollment_profileId_userId_key" ON "ProfileEnrollment"("profileId", "userId");

-- CreateIndex
CREATE INDEX "ProfileSync_profileId_startedAt_idx" ON "ProfileSync"("profileId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Entitlement_profileId_profileRole_key" ON "Entitlement"("profileId", "profileRole");

-- CreateIndex
CREATE INDEX "Grant_profileEnrollmentId_idx" ON "Grant"("profileEnrollmentId");

-- CreateIndex
CREATE UNIQUE INDEX "User_employeeId_key" ON "User"("employeeId");

-- CreateIndex
CREATE UNIQUE INDEX "User_scimExternalId_key" ON "User"("scimExternalId");

-- AddForeignKey
ALTER TABLE "Entitlement" ADD CONSTRAINT "Entitlement_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "AccessProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessProfile" ADD CONSTRAINT "AccessProfile_requestPolicyId_fkey" FOREIGN KEY ("requestPolicyId") REFERENCES "RequestPolicy"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentRule" ADD CONSTRAINT "EnrollmentRule_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "AccessProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentRuleEntitlement" ADD CONSTRAINT "EnrollmentRuleEntitlement_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "EnrollmentRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnrollmentRuleEntitlement" ADD CONSTRAINT "EnrollmentRuleEntitlement_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileEnrollment" ADD CONSTRAINT "ProfileEnrollment_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "AccessProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileEnrollment" ADD CONSTRAINT "ProfileEnrollment_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileEnrollment" ADD CONSTRAINT "ProfileEnrollment_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "EnrollmentRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileSync" ADD CONSTRAINT "ProfileSync_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "AccessProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_profileEnrollmentId_fkey" FOREIGN KEY ("profileEnrollmentId") REFERENCES "ProfileEnrollment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_profileEnrollmentId_fkey" FOREIGN KEY ("profileEnrollmentId") REFERENCES "ProfileEnrollment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
