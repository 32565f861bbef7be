-- AlterTable
ALTER TABLE "Trial" ADD COLUMN     "codeVersion" TEXT;
