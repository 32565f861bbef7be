-- AlterTable
ALTER TABLE "Trial" ADD COLUMN     "backendVersion" TEXT,
ADD COLUMN     "device" TEXT;
