/**
 * Running out of memory in the CLI (injected, as the wasm heap fails when full): a plain message
 * naming the step and what to change, the search kept, and --resume finishing the run with a
 * smaller batch without searching again.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../core/events';
import { REPO_ROOT } from '../node/assets.test-helpers';

const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(REPO_ROOT, 'bin/pts-studio.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10 * 60_000, env: { ...process.env, ...env } });

describe('pts-studio prune: out of memory, then --resume', () => {
  it('names the step and the fix, keeps the search, and resumes without repeating it', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pts-resume-'));
    const out = join(tmp, 'out');
    const demo = join(REPO_ROOT, 'public/demo/cifar10');
    const failed = cli(
      ['prune', '--model', join(demo, 'model/model.json'), '--images', join(demo, 'images'), '--sparsity', '0.8', '--budget', 'unlimited',
        '--population', '4', '--generations', '2', '--epochs', '2', '--batch', '32', '--out', out],
      { PTS_STUDIO_FAULT: 'oom-at-step:3' },
    );
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('generation 2/2');
    expect(failed.stderr).toMatch(/ran out of memory in training, at step 4 with batch 32 .*saved in .*checkpoint\.v8.*--resume .* --batch 16/);
    expect(existsSync(join(out, 'checkpoint.v8'))).toBe(true);
    expect(existsSync(join(out, 'report.json'))).toBe(false);

    const resumed = cli(['prune', '--resume', out, '--batch', '16']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('with batch 16: training starts again from its one-shot model (the search is not repeated)');
    expect(resumed.stderr).not.toContain('generation 0/');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(report.settings.batchSize).toBe(16);
    expect(report.search).toHaveLength(3);
    expect(report.globalSparsity).toBeGreaterThanOrEqual(0.8 - 1e-3);

    const bad = cli(['prune', '--resume', join(tmp, 'nowhere')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('no resume.json there');
  });

  it('resumes an unlabelled run as unlabelled without being told again', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'pts-resume-'));
    const out = join(tmp, 'out');
    const demo = join(REPO_ROOT, 'public/demo/cifar10');
    const failed = cli(
      ['prune', '--model', join(demo, 'model/model.json'), '--images', join(demo, 'images'), '--unlabelled', '--sparsity', '0.8', '--budget', 'unlimited',
        '--distribution', 'uniform', '--epochs', '1', '--batch', '32', '--out', out],
      { PTS_STUDIO_FAULT: 'oom-at-step:2' },
    );
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('unlabelled (scores are agreement with the dense model)');
    const resumed = cli(['prune', '--resume', out]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('unlabelled (scores are agreement with the dense model)');
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    // Unlabelled: no top-1 anywhere, agreement with the dense model instead.
    expect(report.final.top1).toBeUndefined();
    expect(report.final.agreement).toBeGreaterThan(0);
  });
});
