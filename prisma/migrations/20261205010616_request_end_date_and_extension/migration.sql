-- AlterTable
ALTER TABLE "AccessRequest" ADD COLUMN     "endsAt" TIMESTAMP(3),
ADD COLUMN     "extendsGrantId" TEXT;
