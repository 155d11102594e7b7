-- DropIndex
DROP INDEX "ReviewItem_reviewerId_decision_idx";

-- CreateTable
CREATE TABLE "AccountActivity" (
    "id" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accountName" TEXT NOT NULL,
    "lastActiveAt" TIMESTAMP(3),
    "signal" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountActivity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccountActivity_userId_appId_idx" ON "AccountActivity"("userId", "appId");

-- CreateIndex
CREATE UNIQUE INDEX "AccountActivity_connectorId_userId_key" ON "AccountActivity"("connectorId", "userId");

-- CreateIndex
CREATE INDEX "ReviewItem_reviewerId_campaignId_decision_idx" ON "ReviewItem"("reviewerId", "campaignId", "decision");
