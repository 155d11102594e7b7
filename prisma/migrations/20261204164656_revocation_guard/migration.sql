-- CreateEnum
CREATE TYPE "RevocationHoldStatus" AS ENUM ('HELD', 'CONFIRMED', 'REJECTED');

-- AlterTable
ALTER TABLE "AccessProfile" ADD COLUMN     "revocationThreshold" INTEGER;

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "revocationThreshold" INTEGER;

-- CreateTable
CREATE TABLE "RevocationHold" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actorId" TEXT,
    "profileId" TEXT,
    "status" "RevocationHoldStatus" NOT NULL DEFAULT 'HELD',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RevocationHold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RevocationHoldItem" (
    "id" TEXT NOT NULL,
    "holdId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "record" JSONB,
    "enrollmentId" TEXT,
    "grantIds" TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RevocationHoldItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RevocationHold_status_createdAt_idx" ON "RevocationHold"("status", "createdAt");

-- CreateIndex
CREATE INDEX "RevocationHoldItem_holdId_idx" ON "RevocationHoldItem"("holdId");

-- CreateIndex
CREATE INDEX "RevocationHoldItem_userId_idx" ON "RevocationHoldItem"("userId");

-- AddForeignKey
ALTER TABLE "RevocationHoldItem" ADD CONSTRAINT "RevocationHoldItem_holdId_fkey" FOREIGN KEY ("holdId") REFERENCES "RevocationHold"("id") ON DELETE CASCADE ON UPDATE CASCADE;
