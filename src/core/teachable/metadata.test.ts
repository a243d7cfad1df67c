import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTeachableMetadata, sparseTeachableMetadata, teachableMetadataPath } from './metadata';

const REAL = 'src/engine/export/fixtures/teachable-machine-waste/metadata.json';

describe('Teachable Machine metadata.json', () => {
  it('reads the labels, size and versions of a real export', () => {
    const m = parseTeachableMetadata(readFileSync(REAL, 'utf8'));
    expect(m.labels).toHaveLength(12);
    expect(m.labels[0]).toBe('Battery');
    expect(m.labels[11]).toBe('white-glass');
    expect(m.imageSize).toBe(224);
    expect(m.packageName).toBe('@teachablemachine/image');
    expect(m.tfjsVersion).toBe('1.7.4');
  });

  it('the sparse metadata has exactly the fields Teachable Machine writes, labels kept', () => {
    const raw = JSON.parse(readFileSync(REAL, 'utf8')) as Record<string, unknown>;
    const out = sparseTeachableMetadata(parseTeachableMetadata(JSON.stringify(raw)), { tfjsVersion: '4.22.0', sparsity: 0.5, pattern: 'unstructured', timeStamp: '2026-12-01T00:00:00.000Z' });
    expect(Object.keys(out).sort()).toEqual(Object.keys(raw).sort());
    expect(out.labels).toEqual(raw.labels);
    expect(out.tfjsVersion).toBe('4.22.0');
    expect(out.userMetadata).toEqual({ ptsStudio: { sparsity: 0.5, pattern: 'unstructured' } });
  });

  it('finds metadata.json beside model.json only, and names the file when it is not a Teachable Machine one', () => {
    expect(teachableMetadataPath(['tm/model.json', 'tm/weights.bin', 'tm/metadata.json'])).toBe('tm/metadata.json');
    expect(teachableMetadataPath(['tm/model.json', 'other/metadata.json'])).toBeNull();
    expect(teachableMetadataPath(['metadata.json'])).toBeNull();
    expect(() => parseTeachableMetadata('{"labels": []}', 'tm/metadata.json')).toThrow('tm/metadata.json: "labels" must be a non-empty list');
    expect(() => parseTeachableMetadata('{oops', 'tm/metadata.json')).toThrow(/^tm\/metadata\.json: not valid JSON/);
  });
});
