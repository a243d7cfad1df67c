import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { RunArtifacts } from '../../core/session-types';
import { fileStem, masksZip, modelZip, weightFileName } from './downloads';

const modelJson = JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }] });

describe('downloads', () => {
  it('zips model.json with the weight file under the name model.json expects', () => {
    const artifacts = { modelJson, weights: new Uint8Array([1, 2, 3]).buffer, masksJson: '{"layers":[]}', masks: new Uint8Array([255]).buffer } as RunArtifacts;
    const files = unzipSync(modelZip(artifacts));
    expect(Object.keys(files).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    expect(strFromU8(files['model.json']!)).toBe(modelJson);
    expect([...files['group1-shard1of1.bin']!]).toEqual([1, 2, 3]);
    const masks = unzipSync(masksZip(artifacts));
    expect(Object.keys(masks).sort()).toEqual(['masks.bin', 'masks.json']);
  });

  it('refuses a model.json that expects several weight files', () => {
    const two = JSON.stringify({ weightsManifest: [{ paths: ['a.bin', 'b.bin'] }] });
    expect(() => weightFileName(two)).toThrow(/2 weight files/);
    expect(weightFileName(JSON.stringify({}))).toBe('weights.bin');
  });

  it('makes a file-name stem from the model name and target', () => {
    expect(fileStem('MobileNet v1 0.25 (ImageNet)', 0.5)).toBe('mobilenet-v1-0-25-imagenet-sparse-50');
    expect(fileStem('***', 0.9)).toBe('model-sparse-90');
  });
});
