import { describe, expect, it } from 'vitest';
import { bytes, duration, num, pct, pctTick } from './format';

describe('format', () => {
  it('pct', () => {
    expect(pct(0.4567)).toBe('45.7%');
    expect(pct(undefined)).toBe('–');
    expect(pct(Number.NaN)).toBe('–');
  });
  it('pctTick: ticks of a small percentage stay apart', () => {
    // The churn chart's ticks at a 0.08% peak: one decimal printed "0.0%" for most of them.
    const ticks = [0, 0.0002, 0.0004, 0.0006, 0.0008].map(pctTick);
    expect(ticks).toEqual(['0%', '0.02%', '0.04%', '0.06%', '0.08%']);
    expect(new Set([0, 0.25, 0.5, 0.75, 1].map(pctTick)).size).toBe(5);
  });
  it('num', () => {
    expect(num(475544)).toBe('475.5k');
    expect(num(6280.4)).toBe('6280');
    expect(num(0.000123)).toBe('1.23e-4');
    expect(num(0.0543)).toBe('0.0543');
    expect(num(2_500_000)).toBe('2.50M');
    expect(num(636144704298886234112)).toBe('6.36e+20');
    expect(num(null)).toBe('–');
  });
  it('duration', () => {
    expect(duration(75)).toBe('1m 15s');
    expect(duration(3725)).toBe('1h 2m');
    expect(duration(null)).toBe('–');
  });
  it('bytes', () => {
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KB');
  });
});
