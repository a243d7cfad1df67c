import { describe, expect, it } from 'vitest';
import { bytes, duration, num, pct } from './format';

describe('format', () => {
  it('pct', () => {
    expect(pct(0.4567)).toBe('45.7%');
    expect(pct(undefined)).toBe('–');
    expect(pct(Number.NaN)).toBe('–');
  });
  it('num', () => {
    expect(num(475544)).toBe('475.5k');
    expect(num(6280.4)).toBe('6280');
    expect(num(0.000123)).toBe('1.23e-4');
    expect(num(0.0543)).toBe('0.0543');
    expect(num(2_500_000)).toBe('2.50M');
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
