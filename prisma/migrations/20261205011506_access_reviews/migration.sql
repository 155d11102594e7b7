-- CreateEnum
CREATE TYPE "ReviewCampaignStatus" AS ENUM ('SCHEDULED', 'ACTIVE', 'CLOSED');

-- CreateEnum
CREATE TYPE "ReviewRecurrence" AS ENUM ('NONE', 'QUARTERLY', 'HALF_YEARLY', 'YEARLY');

-- CreateEnum
CREATE TYPE "ReviewUndecided" AS ENUM ('KEEP', 'REVOKE');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('PENDING', 'KEEP', 'REVOKE', 'KEEP_UNTIL');

-- CreateTable
CREATE TABLE "ReviewCampaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "scope" JSONB NOT NULL,
    "reviewerRule" JSONB NOT NULL,
    "fallbackReviewerId" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "undecided" "ReviewUndecided" NOT NULL DEFAULT 'KEEP',
    "recurrence" "ReviewRecurrence" NOT NULL DEFAULT 'NONE',
    "status" "ReviewCampaignStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdById" TEXT NOT NULL,
    "closedAt" TIMESTAMP(3),
    "closedById" TEXT,
    "previousId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReviewCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReviewItem" (
    "id" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "grantId" TEXT NOT NULL,
    "personId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "routingNote" TEXT,
    "reassignedFromId" TEXT,
    "reassignReason" TEXT,
    "snapshot" JSONB NOT NULL,
    "decision" "ReviewDecision" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT,
    "keepUntil" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "decidedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReviewItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReviewCampaign_previousId_key" ON "ReviewCampaign"("previousId");

-- CreateIndex
CREATE INDEX "ReviewCampaign_status_dueAt_idx" ON "ReviewCampaign"("status", "dueAt");

-- CreateIndex
CREATE INDEX "ReviewItem_reviewerId_decision_idx" ON "ReviewItem"("reviewerId", "decision");

-- CreateIndex
CREATE INDEX "ReviewItem_grantId_decidedAt_idx" ON "ReviewItem"("grantId", "decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReviewItem_campaignId_grantId_key" ON "ReviewItem"("campaignId", "grantId");

-- AddForeignKey
ALTER TABLE "ReviewCampaign" ADD CONSTRAINT "ReviewCampaign_fallbackReviewerId_fkey" FOREIGN KEY ("fallbackReviewerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewCampaign" ADD CONSTRAINT "ReviewCampaign_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewCampaign" ADD CONSTRAINT "ReviewCampaign_previousId_fkey" FOREIGN KEY ("previousId") REFERENCES "ReviewCampaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "ReviewCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "Grant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_personId_fkey" FOREIGN KEY ("personId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReviewItem" ADD CONSTRAINT "ReviewItem_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
