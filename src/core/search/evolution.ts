/**
 * The evolutionary search over reduce-regrow genomes (docs/method.md section 2). Fitness calls cost
 * seconds, so every genome is scored at most once (cache keyed by its exact genes).
 */
import { throwIfAborted } from '../abort';
import { Rng } from '../rng';

/** Settings of one search; defaults live in options.ts. */
export interface SearchSettings {
  /** Genome length: one gene per searched layer. */
  genes: number;
  /** Genomes scored per generation. */
  population: number;
  /** Generations after the initial population. */
  generations: number;
  /** Fittest genomes kept as parents. */
  parents: number;
  /** Per-gene probability that a mutation child's gene is multiplied by (1 + N(0, 1)). */
  mutationRate: number;
  /** Probability that a crossover child mixes two parents (else it copies one). */
  crossoverRate: number;
  /** Seed of every random choice. */
  seed: number;
  /** Asked after each generation: true ends the search there with the fittest genome so far. */
  shouldStop?: () => boolean;
  /**
   * Fitness calls a generation may have in flight at once (default 1), for a fitness function
   * that spreads them over workers. The result does not depend on it: a generation's genomes are
   * bred before any is scored, and each distinct genome is still scored once.
   */
  concurrency?: number;
}

/** What one generation reports. */
export interface GenerationResult {
  /** 0 for the initial population, then 1..generations. */
  generation: number;
  /** Best fitness found so far (parents included, so it never falls). */
  best: number;
  /** Mean fitness of this generation's population. */
  mean: number;
  /** Genome with fitness `best` (a copy). */
  bestGenome: number[];
  /** Fitness calls made so far, over the whole search (cached genomes are not called again). */
  evaluations: number;
}

/** The outcome of a search. */
export interface SearchResult {
  /** Fittest genome found. */
  genome: number[];
  /** Its fitness. */
  fitness: number;
  /** One entry per generation, initial population first. */
  history: GenerationResult[];
}

interface Scored {
  genome: number[];
  key: string;
  fitness: number;
}

/** Exact cache key: JS prints every double so that it parses back to the same double. */
function keyOf(genome: number[]): string {
  return genome.join(',');
}

/** The fittest `count` distinct genomes, earlier entries first on equal fitness (NaN ranks last). */
function fittest(pool: Scored[], count: number): Scored[] {
  const rank = (s: Scored) => (Number.isNaN(s.fitness) ? -Infinity : s.fitness);
  const seen = new Set<string>();
  const unique = pool.filter((s) => !seen.has(s.key) && seen.add(s.key));
  return unique.sort((a, b) => rank(b) - rank(a) || 0).slice(0, count);
}

function validate(s: SearchSettings): void {
  const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!whole(s.genes, 1)) throw new Error(`search: genes must be a whole number >= 1; got ${s.genes}`);
  if (!whole(s.population, 2)) throw new Error(`search: population must be >= 2; got ${s.population}`);
  if (!whole(s.generations, 0)) throw new Error(`search: generations must be >= 0; got ${s.generations}`);
  if (!whole(s.parents, 1) || s.parents > s.population) {
    throw new Error(`search: parents must be 1..population; got ${s.parents}`);
  }
}

/**
 * Runs the search. Generation 0 scores one all-equal genome plus random ones (genes ~ U(0, 1));
 * each later generation breeds from the `parents` fittest and onGeneration sees every generation
 * (generations + 1 calls). Throws an AbortError before the next fitness call once signal aborts.
 */
export async function evolutionarySearch(
  settings: SearchSettings,
  fitness: (genome: number[]) => Promise<number>,
  onGeneration?: (g: GenerationResult) => void,
  signal?: { aborted: boolean },
): Promise<SearchResult> {
  validate(settings);
  const { genes, population, generations, parents, mutationRate, crossoverRate } = settings;
  const rng = new Rng(settings.seed);
  // All ones, not zeros: mutation multiplies genes, and a zero gene could never move.
  const equal = new Array<number>(genes).fill(1);
  const random = () => Array.from({ length: genes }, () => rng.next());
  const cache = new Map<string, number>();
  let evaluations = 0;

  const pending = new Map<string, Promise<number>>();
  const fitnessOf = (key: string, genome: number[]): Promise<number> => {
    const known = cache.get(key);
    if (known !== undefined) return Promise.resolve(known);
    let p = pending.get(key);
    if (!p) {
      p = fitness(genome.slice()).then((f) => {
        evaluations++;
        cache.set(key, f);
        pending.delete(key);
        return f;
      });
      pending.set(key, p);
    }
    return p;
  };

  /** Scores a generation, at most `concurrency` fitness calls at a time, in candidate order. */
  const scoreAll = async (genomes: number[][]): Promise<Scored[]> => {
    const width = Math.max(1, Math.floor(settings.concurrency ?? 1));
    const keys = genomes.map(keyOf);
    const results: Promise<number>[] = [];
    const inFlight = new Set<Promise<unknown>>();
    for (let i = 0; i < genomes.length; i++) {
      while (inFlight.size >= width) await Promise.race(inFlight);
      throwIfAborted(signal);
      const p = fitnessOf(keys[i]!, genomes[i]!);
      results.push(p);
      if (!cache.has(keys[i]!)) {
        const settled: Promise<boolean> = p.then(
          () => inFlight.delete(settled),
          () => inFlight.delete(settled),
        );
        inFlight.add(settled);
      }
    }
    const fitnesses = await Promise.all(results);
    return genomes.map((genome, i) => ({ genome, key: keys[i]!, fitness: fitnesses[i]! }));
  };

  // As in the authors' code, a generation is floor(population / 2) crossover children (the first
  // is the all-equal genome) plus as many mutation children, topped up with random genomes to
  // `population`; the parents stay in the selection pool instead of taking population slots.
  const breed = (elite: Scored[]): number[][] => {
    const half = Math.floor(population / 2);
    const pick = () => elite[rng.int(elite.length)]!.genome;
    const next: number[][] = [equal.slice()];
    while (next.length < half) {
      const i = rng.int(elite.length);
      let j = elite.length > 1 ? rng.int(elite.length - 1) : i;
      if (elite.length > 1 && j >= i) j++;
      const a = elite[i]!.genome;
      const b = elite[j]!.genome;
      if (rng.next() < crossoverRate) next.push(a.map((v, g) => (rng.next() < 0.5 ? v : b[g]!)));
      else next.push(a.slice());
    }
    for (let c = 0; c < half; c++) {
      next.push(pick().map((v) => (rng.next() < mutationRate ? v * (1 + rng.normal()) : v)));
    }
    while (next.length < population) next.push(random());
    return next;
  };

  const history: GenerationResult[] = [];
  let elite: Scored[] = [];
  let candidates: number[][] = [equal.slice()];
  while (candidates.length < population) candidates.push(random());
  for (let generation = 0; generation <= generations; generation++) {
    if (generation > 0) candidates = breed(elite);
    const scored = await scoreAll(candidates);
    elite = fittest([...elite, ...scored], parents);
    const best = elite[0]!;
    const result: GenerationResult = {
      generation,
      best: best.fitness,
      mean: scored.reduce((a, s) => a + s.fitness, 0) / scored.length,
      bestGenome: best.genome.slice(),
      evaluations,
    };
    history.push(result);
    onGeneration?.(result);
    if (generation < generations && settings.shouldStop?.()) break;
  }
  const winner = elite[0]!;
  return { genome: winner.genome.slice(), fitness: winner.fitness, history };
}
