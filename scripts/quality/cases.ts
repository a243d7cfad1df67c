/**
 * The quality cases `npm run quality` runs: real models, real images, roles kept apart
 * (calibration trains, validation chooses, test is scored once). Image folders are written
 * under .cache/quality/ from the official CIFAR-10 test set (scripts/cifar10/fetch.mjs) and from
 * ../shared/assets/imagenet-dev, which may not ship with the repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedAsset } from '../../src/node/assets.test-helpers';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CACHE = join(ROOT, '.cache', 'quality');

/** One case: what the CLI is given besides the settings. */
export interface QualityCase {
  id: string;
  title: string;
  model: string;
  /** CLI arguments of the method: --sparsity / --pattern. */
  target: string[];
  calib: string;
  /** A validation folder, or null for the CLI's default split of the calibration images. */
  val: string | null;
  /** Test images scored once, or null when none can be had honestly. */
  test: string | null;
  /** Learning rate of the reference recipe for this model, given to --preset paper. */
  paperLr: number;
  /** Why the case cannot run here (missing assets), or null. */
  missing: string | null;
}

/** CIFAR-10 test images outside the demo's 300: 400 calibration, 100 validation, 9,200 test. */
export function cifarFolders(): { calib: string; val: string; test: string } {
  const dir = join(CACHE, 'cifar');
  const parts = { calib: [0, 400], val: [400, 100], test: [500, 9200] } as const;
  for (const [name, [from, count]] of Object.entries(parts)) {
    if (existsSync(join(dir, name))) continue;
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/cifar10/fetch.mjs'), '--folders', join(dir, name), '--from', String(from), '--count', String(count), '--exclude-demo'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`could not write the CIFAR-10 ${name} folder`);
  }
  return { calib: join(dir, 'calib'), val: join(dir, 'val'), test: join(dir, 'test') };
}

export function qualityCases(): QualityCase[] {
  const cifar = cifarFolders();
  const demo = join(ROOT, 'public/demo/cifar10/model/model.json');
  const imagenet = sharedAsset('imagenet-dev', 'the MobileNet quality case');
  const resnet = join(ROOT, 'assets/resnet-cifar10-onnx/resnet32.onnx');
  return [
    { id: 'demo-90', title: 'demo CNN, 90% unstructured', model: demo, target: ['--sparsity', '0.9'], ...cifar, paperLr: 0.01, missing: null },
    { id: 'demo-2:4', title: 'demo CNN, 2:4', model: demo, target: ['--pattern', '2:4'], ...cifar, paperLr: 0.01, missing: null },
    {
      id: 'mobilenet-50',
      title: 'MobileNet v1 0.25, 50% unstructured (100 ImageNet photos; validation split from them, no test set)',
      model: join(ROOT, 'public/models/mobilenet_v1_0.25_224/model.json'),
      target: ['--sparsity', '0.5'],
      calib: imagenet ?? '',
      val: null,
      test: null,
      paperLr: 0.05,
      missing: imagenet ? null : 'needs ../shared/assets/imagenet-dev (ImageNet photos may not be shipped)',
    },
    {
      id: 'resnet32-90',
      title: 'ResNet-32 (ONNX, BatchNorm folded), 90% unstructured',
      model: resnet,
      target: ['--sparsity', '0.9'],
      ...cifar,
      paperLr: 0.01,
      missing: existsSync(resnet) ? null : 'needs the ONNX importer and assets/resnet-cifar10-onnx/resnet32.onnx',
    },
  ];
}
