-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "preset" TEXT,
    "spec" JSONB NOT NULL,
    "specHash" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "total" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Sweep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Trial" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "seed" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "failureKind" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "backend" TEXT,
    "codeRevision" TEXT,
    "host" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "error" TEXT,
    "summary" JSONB,

    CONSTRAINT "Trial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SweepTrial" (
    "sweepId" TEXT NOT NULL,
    "trialId" INTEGER NOT NULL,
    "index" INTEGER NOT NULL,

    CONSTRAINT "SweepTrial_pkey" PRIMARY KEY ("sweepId","trialId")
);

-- CreateTable
CREATE TABLE "Metric" (
    "id" BIGSERIAL NOT NULL,
    "trialId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "Metric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Artifact" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "trialId" INTEGER,
    "path" TEXT,
    "bytes" BYTEA,
    "meta" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Artifact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Sweep_workflowId_key" ON "Sweep"("workflowId");

-- CreateIndex
CREATE INDEX "Sweep_name_idx" ON "Sweep"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Trial_key_key" ON "Trial"("key");

-- CreateIndex
CREATE INDEX "Trial_family_status_idx" ON "Trial"("family", "status");

-- CreateIndex
CREATE INDEX "SweepTrial_trialId_idx" ON "SweepTrial"("trialId");

-- CreateIndex
CREATE UNIQUE INDEX "SweepTrial_sweepId_index_key" ON "SweepTrial"("sweepId", "index");

-- CreateIndex
CREATE INDEX "Metric_name_trialId_idx" ON "Metric"("name", "trialId");

-- CreateIndex
CREATE UNIQUE INDEX "Metric_trialId_name_step_key" ON "Metric"("trialId", "name", "step");

-- CreateIndex
CREATE UNIQUE INDEX "Artifact_key_key" ON "Artifact"("key");

-- CreateIndex
CREATE INDEX "Artifact_trialId_idx" ON "Artifact"("trialId");

-- AddForeignKey
ALTER TABLE "SweepTrial" ADD CONSTRAINT "SweepTrial_sweepId_fkey" FOREIGN KEY ("sweepId") REFERENCES "Sweep"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SweepTrial" ADD CONSTRAINT "SweepTrial_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Metric" ADD CONSTRAINT "Metric_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Artifact" ADD CONSTRAINT "Artifact_trialId_fkey" FOREIGN KEY ("trialId") REFERENCES "Trial"("id") ON DELETE SET NULL ON UPDATE CASCADE;
