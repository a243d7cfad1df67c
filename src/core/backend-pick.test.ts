import { describe, expect, it } from 'vitest';
import { describeProbe, fastestProbe, formatMs, pickNote } from './backend-pick';
import type { BackendProbe } from './session-types';

const probe = (name: string, status: BackendProbe['status'], msPerStep: number | null, warmupMs: number | null, detail: string | null = null): BackendProbe => ({
  name, status, msPerStep, warmupMs, detail,
});

describe('fastestProbe', () => {
  it('takes the measured backend with the fewest ms per step, whatever the order', () => {
    const probes = [
      probe('webgpu', 'measured', 2300.4, 2900, 'software adapter'),
      probe('webgl', 'measured', 310, 900),
      probe('wasm', 'measured', 45.2, 60),
      probe('cpu', 'skipped', null, null, 'not needed'),
    ];
    expect(fastestProbe(probes)?.name).toBe('wasm');
    expect(fastestProbe([...probes].reverse())?.name).toBe('wasm');
  });

  it('prefers any measured backend to one whose warm-up ran past the budget', () => {
    expect(fastestProbe([probe('webgpu', 'slow', null, 3100), probe('cpu', 'measured', 1100, 1200)])?.name).toBe('cpu');
  });

  it('falls back to the slow one with the shortest warm-up, and to null when all failed', () => {
    expect(fastestProbe([probe('webgpu', 'slow', null, 9000), probe('webgl', 'slow', null, 4000)])?.name).toBe('webgl');
    expect(fastestProbe([probe('webgpu', 'failed', null, null, 'lost the device'), probe('wasm', 'skipped', null, null)])).toBeNull();
  });
});

describe('pickNote', () => {
  const probes = [
    probe('webgpu', 'measured', 2300.4, 2900, 'software adapter'),
    probe('webgl', 'slow', null, 3050),
    probe('wasm', 'measured', 45.2, 60),
    probe('cpu', 'skipped', null, null, 'only used when the others fail'),
  ];

  it('names the pick, its figure and the others, leaving out skipped ones', () => {
    expect(pickNote(probes[2]!, probes, false)).toBe(
      'Picked wasm: 45 ms per probe step vs webgpu 2,300 ms (software adapter), webgl over 3,050 ms.',
    );
  });

  it('says when the backend was requested', () => {
    const alone = [probe('webgpu', 'skipped', null, null), probe('webgl', 'measured', 1234.6, 5000)];
    expect(pickNote(alone[1]!, alone, true)).toBe('Using webgl, as requested: 1,235 ms per probe step.');
    const slow = [probe('webgpu', 'slow', null, 3050.2, 'warm-up past the 3,000 ms budget')];
    expect(pickNote(slow[0]!, slow, true)).toBe('Using webgpu, as requested: its probe warm-up took over 3,050 ms.');
  });

  it('describes failures with their reason', () => {
    expect(describeProbe(probe('webgl', 'failed', null, null, 'smoke test returned 0'))).toBe('webgl failed (smoke test returned 0)');
    expect(formatMs(999.5)).toBe('1,000');
  });
});
