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

/** Fashion-MNIST test images: 400 calibration, 100 validation, 9,500 test; null without the Debian package. */
export function fashionFolders(): { calib: string; val: string; test: string } | null {
  const dir = join(CACHE, 'fashion');
  const parts = { calib: [0, 400], val: [400, 100], test: [500, 9500] } as const;
  for (const [name, [from, count]] of Object.entries(parts)) {
    if (existsSync(join(dir, name))) continue;
    if (!existsSync('/usr/share/datasets/fashion-mnist')) return null;
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/fashion/folders.mjs'), '--folders', join(dir, name), '--from', String(from), '--count', String(count)], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`could not write the Fashion-MNIST ${name} folder`);
  }
  return { calib: join(dir, 'calib'), val: join(dir, 'val'), test: join(dir, 'test') };
}

/**
 * The reference's best swept rate on the BatchNorm-free models (scripts/reference/golden/bnfree.json):
 * the MLP 85.2% / 85.8% / 85.8% test top-1 at 0.003 / 0.01 / 0.03 (three seeds each), the CNN
 * 62.0% at 0.003 (seed 1), 63.3% at 0.01 (three seeds).
 */
export const CNN_PAPER_LR = 0.01;
export const MLP_PAPER_LR = 0.01;

export function qualityCases(): QualityCase[] {
  const cifar = cifarFolders();
  const fashion = fashionFolders();
  const cnn = join(ROOT, 'assets/bnfree/cifar-cnn/model.json');
  const mlp = join(ROOT, 'assets/bnfree/fashion-mlp/model.json');
  const demo = join(ROOT, 'public/demo/cifar10/model/model.json');
  const imagenet = sharedAsset('imagenet-dev', 'the MobileNet quality case');
  const resnet = join(ROOT, 'assets/resnet-cifar10-onnx/resnet32.onnx');
  return [
    { id: 'demo-90', title: 'demo CNN, 90% unstructured', model: demo, target: ['--sparsity', '0.9'], ...cifar, paperLr: 0.01, missing: null },
    { id: 'demo-2:4', title: 'demo CNN, 2:4', model: demo, target: ['--pattern', '2:4'], ...cifar, paperLr: 0.01, missing: null },
    { id: 'cnn-90', title: 'CIFAR-10 CNN without BatchNorm (max pooling, dense head), 90% unstructured', model: cnn, target: ['--sparsity', '0.9'], ...cifar, paperLr: CNN_PAPER_LR, missing: null },
    { id: 'cnn-2:4', title: 'CIFAR-10 CNN without BatchNorm, 2:4', model: cnn, target: ['--pattern', '2:4'], ...cifar, paperLr: CNN_PAPER_LR, missing: null },
    {
      id: 'mlp-90',
      title: 'Fashion-MNIST MLP (Dense 128, Dense 10), 90% unstructured',
      model: mlp,
      target: ['--sparsity', '0.9'],
      calib: fashion?.calib ?? '',
      val: fashion?.val ?? '',
      test: fashion?.test ?? '',
      paperLr: MLP_PAPER_LR,
      missing: fashion ? null : 'needs Debian\'s dataset-fashion-mnist (apt-get install dataset-fashion-mnist)',
    },
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
