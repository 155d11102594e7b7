-- CreateEnum
CREATE TYPE "UserGroupSource" AS ENUM ('PORTAL', 'SCIM');

-- AlterTable
ALTER TABLE "UserGroup" ADD COLUMN     "scimExternalId" TEXT,
ADD COLUMN     "source" "UserGroupSource" NOT NULL DEFAULT 'PORTAL',
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE UNIQUE INDEX "UserGroup_scimExternalId_key" ON "UserGroup"("scimExternalId");
