import { beforeAll, describe, expect, it } from 'vitest';
import { setupNodeBackend } from '../../node/backend';
import { webglKernelSelfTest } from './kernel-self-test';
import { chunkOf, webglMagnitudeMaskAvailable } from './magnitude-mask';
import { webglMaskedUpdateAvailable } from './masked-update';
import { webglNmMaskAvailable } from './nm-mask';

describe('WebGL kernels off WebGL', () => {
  beforeAll(async () => {
    await setupNodeBackend('cpu');
  });

  it('say they cannot run, so the generic paths stay', () => {
    expect([webglMagnitudeMaskAvailable(), webglNmMaskAvailable(), webglMaskedUpdateAvailable()]).toEqual([false, false, false]);
  });

  it('refuse to pass the self-test', async () => {
    expect(await webglKernelSelfTest()).toMatch(/not WebGL 2/);
  });
});

describe('chunkOf', () => {
  it('nests 32-key chunks, stays under the pair encoding, and keeps the bin pairs walked near the keys scanned', () => {
    for (const n of [2, 1100, 18432, 65536, 256000]) {
      const chunk = chunkOf(n);
      expect(chunk % 32).toBe(0);
      expect(chunk).toBeLessThan(4096);
      const walked = 8 * Math.ceil(n / chunk);
      expect(walked).toBeLessThanOrEqual(Math.max(4 * chunk, 8));
      expect(chunk).toBeLessThanOrEqual(Math.max(walked, 32));
    }
    expect(chunkOf(2 ** 24)).toBeLessThan(4096);
  });
});
