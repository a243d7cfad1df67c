/**
 * Seeded pseudo-random numbers: sfc32 (small, fast, passes PractRand) seeded through splitmix32,
 * plus Box-Muller normals. Same seed, same sequence, on every JS engine.
 */

/** One splitmix32 step; spreads a small integer seed over all 32 bits. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/** Everything a generator needs to continue its sequence (saved in run checkpoints). */
export interface RngState {
  /** The four sfc32 words. */
  words: [number, number, number, number];
  /** Pending second Box-Muller value. */
  spare: number | null;
}

/** A seeded generator of uniforms, normals, integers and shuffles. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second Box-Muller value, kept for the next normal() call. */
  private spare: number | null = null;

  /** Seeds the generator; non-integer or huge seeds are folded to 32 bits. */
  constructor(seed: number) {
    const s = Number.isFinite(seed) ? Math.trunc(seed) : 0;
    // Fold the bits above 2^32 in so seeds like 2^32 + 1 and 1 differ.
    let state = ((s >>> 0) ^ Math.floor(s / 4294967296)) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [nextState, word] = splitmix32(state);
      state = nextState;
      words.push(word);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    // Discard the first outputs: sfc32 mixes its state in over a few rounds.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The state to continue from later with `setState`. */
  getState(): RngState {
    return { words: [this.a, this.b, this.c, this.d], spare: this.spare };
  }

  /** Continues the sequence of the generator `getState` was read from. */
  setState(state: RngState): void {
    [this.a, this.b, this.c, this.d] = state.words;
    this.spare = state.spare;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal N(0, 1) by Box-Muller. */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    // 1 - next() lies in (0, 1], so the log is finite.
    const u1 = 1 - this.next();
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Uniform integer in 0..n-1 (0 when n <= 0). */
  int(n: number): number {
    if (n <= 0) return 0;
    return Math.floor(this.next() * n);
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = a[i] as T;
      a[i] = a[j] as T;
      a[j] = tmp;
    }
    return a;
  }
}
