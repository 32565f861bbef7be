/**
 * The cluster deployment, checked offline with real tools (infra/cluster/validate.sh):
 * hadolint on the worker images' Dockerfiles; helm lint and helm template of the worker
 * chart for each of its ci/ values files, every manifest checked by kubeconform against
 * Kubernetes' JSON schemas (the oldest and newest version the chart supports); the chart's
 * refusals. Plus what ties the files to the code: the search attributes Temporal's values
 * create are the ones sweeplab starts workflows with, and the images, chart and worker agree
 * on the metrics port and the shutdown grace.
 *
 * The tools come from infra/cluster/tools.sh (run by infra/setup.sh). Without them the test is
 * skipped, saying so, except under CI, where it fails: CI must run the validation.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { devServerSearchAttributes } from '../../src/client/search-attributes';

const check = spawnSync('bash', ['infra/cluster/tools.sh', '--check'], { encoding: 'utf8' });
const toolsMissing = check.status === 0 ? null : check.stderr.trim() || `tools.sh --check exited ${check.status}`;
if (toolsMissing && !process.env.CI) console.warn(`cluster-manifests: validation skipped: ${toolsMissing}`);

describe('the cluster deployment', () => {
  it.skipIf(toolsMissing !== null && !process.env.CI)('passes hadolint, helm lint, helm template and kubeconform', () => {
    expect(toolsMissing, 'CI runs infra/setup.sh, which installs the cluster tools').toBeNull();
    const run = spawnSync('bash', ['infra/cluster/validate.sh'], { encoding: 'utf8', timeout: 120_000 });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).toContain('validate: all checks passed');
    // Every rendering was checked, and every resource had a schema (none skipped).
    const summaries = output.split('\n').filter((line) => line.startsWith('Summary:'));
    expect(summaries.length).toBeGreaterThanOrEqual(4);
    for (const summary of summaries) expect(summary).toMatch(/Valid: [1-9]\d*, Invalid: 0, Errors: 0, Skipped: 0$/);
    console.log(`cluster-manifests: ${summaries.length} renderings checked by kubeconform`);
  }, 180_000);

  it("creates, in Temporal's values, exactly the search attributes sweeplab's workflows are started with", () => {
    const values = readFileSync('infra/cluster/temporal-values.yaml', 'utf8');
    const loop = /for attribute in ([^;]+); do/.exec(values);
    expect(loop, 'the search-attributes Job in temporal-values.yaml').not.toBeNull();
    expect(loop![1]!.trim().split(/\s+/).sort()).toEqual([...devServerSearchAttributes()].sort());
    expect(values).toMatch(/pluginName: postgres12/);
  });

  it('agrees on the metrics port and the shutdown grace across the images, the chart and the worker', () => {
    const chartValues = readFileSync('infra/cluster/sweeplab-worker/values.yaml', 'utf8');
    const port = /^metrics:\n(?:\s+#.*\n)*\s+port: (\d+)/m.exec(chartValues)?.[1];
    expect(port).toBeDefined();
    for (const image of ['infra/images/cpu.Dockerfile', 'infra/images/gpu.Dockerfile']) {
      const dockerfile = readFileSync(image, 'utf8');
      expect(dockerfile).toContain(`EXPOSE ${port}`);
      expect(dockerfile).toMatch(/ENV[^]*SWEEP_CODE_REVISION=\$\{SWEEP_CODE_REVISION\}/);
      expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    }
    const deployment = readFileSync('infra/cluster/sweeplab-worker/templates/deployments.yaml', 'utf8');
    expect(deployment).toContain('SWEEP_SHUTDOWN_GRACE');
    expect(deployment).toContain('terminationGracePeriodSeconds: {{ add $.Values.shutdown.graceSeconds $.Values.shutdown.terminationMarginSeconds }}');
    expect(readFileSync('src/worker/run-worker.ts', 'utf8')).toContain('SWEEP_SHUTDOWN_GRACE');
  });
});
