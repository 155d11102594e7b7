-- AlterTable
ALTER TABLE "ProfileSync" ADD COLUMN     "holder" TEXT,
ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "rounds" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ProfileSyncRequest" (
    "id" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "userId" TEXT,
    "trigger" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProfileSyncRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProfileSyncRequest_profileId_createdAt_idx" ON "ProfileSyncRequest"("profileId", "createdAt");

-- CreateIndex
CREATE INDEX "ProfileSync_profileId_status_idx" ON "ProfileSync"("profileId", "status");
