/** The CLI's image-folder messages name the folder given, and --unlabelled takes folders that are not classes. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../core/events';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin/pts-studio.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 5 * 60_000 });
const DEMO_MODEL = join(root, 'public/demo/cifar10/model/model.json');
const DEMO_IMAGES = join(root, 'public/demo/cifar10/images');

/** A folder `photos` with class folders 000, 010, 020 (not classes of the 10-class demo) holding demo images. */
function numberedFolders(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'pts-folders-')), 'photos');
  for (const [i, name] of ['000', '010', '020'].entries()) {
    mkdirSync(join(dir, name), { recursive: true });
    cpSync(join(DEMO_IMAGES, String(i)), join(dir, name), { recursive: true });
  }
  return dir;
}

describe('pts-studio image folders', () => {
  it('an empty folder is named, and no message speaks of dropped files', () => {
    const empty = join(mkdtempSync(join(tmpdir(), 'pts-empty-')), 'nothing-here');
    mkdirSync(empty);
    const r = cli(['prune', '--model', DEMO_MODEL, '--images', empty]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`The folder ${empty} (--images) is empty: no images in it.`);
    expect(r.stderr).not.toMatch(/drop/i);
  });

  it('a zero-byte image is called empty, by name; one image is "1 image" in the closing table', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pts-zero-')), 'one');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image.png'), '');
    const refused = cli(['prune', '--model', DEMO_MODEL, '--images', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${dir}/image.png: the file is empty (0 bytes)`);
    expect(refused.stderr).not.toMatch(/not a JPEG/);
    cpSync(join(DEMO_IMAGES, '0', '0499.png'), join(dir, 'image.png'));
    const out = mkdtempSync(join(tmpdir(), 'pts-one-'));
    const r = cli(['prune', '--model', DEMO_MODEL, '--images', dir, '--budget', '0', '--distribution', 'uniform', '--epochs', '1', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('validation (1 image; they chose');
    expect(r.stderr).toContain('(1 image)');
    expect(r.stderr).toContain('10 classes, 5 prunable kernels');
  });

  it('refuses folders that are not classes, naming the folder and offering --unlabelled; --unlabelled runs on them', () => {
    const photos = numberedFolders();
    const refused = cli(['prune', '--model', DEMO_MODEL, '--images', photos]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${photos}/010: folder name "010", "020" reads as a class index, but the model has 10 classes`);
    expect(refused.stderr).toContain('or pass --unlabelled');
    expect(refused.stderr).not.toMatch(/calib|drop/i);
    const out = mkdtempSync(join(tmpdir(), 'pts-unlab-'));
    const r = cli(['prune', '--model', DEMO_MODEL, '--images', photos, '--unlabelled', '--preset', 'quick', '--epochs', '1', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`images: 90 usable in ${photos}, unlabelled`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    expect(report.dense.top1).toBeUndefined();
    expect(report.dense.agreement).toBe(1);
  });
});
