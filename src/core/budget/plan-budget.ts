/**
 * Sizes a run to a wall-time budget (pure; the pipeline measures the costs first). The paper's
 * schedule is used whole when it fits; otherwise about a third of what is left goes to the
 * search and the rest to DST, and whatever the search does not use flows to DST when it ends.
 */

/** Measured costs of one run's units of work, in seconds. */
export interface RunCosts {
  /** One search fitness evaluation (masks + BN re-estimation + scoring the fitness images). */
  fitness: number;
  /** One DST step at the run's batch size. */
  step: number;
  /** One validation evaluation during DST (BN re-estimation + scoring the validation images). */
  evaluation: number;
  /** Work outside search and DST still to come: one-shot, final scoring, test scoring, export. */
  fixed: number;
}

/** The schedule a budget is cut from (the run's settings). */
export interface Schedule {
  population: number;
  generations: number;
  parents: number;
  epochs: number;
  evalsPerRun: number;
}

/** What the planner needs besides the costs. */
export interface BudgetRequest {
  /** Seconds left for the whole run from now. */
  seconds: number;
  costs: RunCosts;
  /** DST steps per epoch (calibration images / batch, rounded up). */
  stepsPerEpoch: number;
  /** Whether this run searches (unstructured with the search distribution). */
  search: boolean;
  /** The full schedule (the paper's unless the user changed it). */
  full: Schedule;
}

/** A schedule that fits, with its estimated cost. */
export interface BudgetPlan extends Schedule {
  /** Estimated seconds of search, DST and the fixed work. */
  searchSeconds: number;
  trainSeconds: number;
  totalSeconds: number;
  /** True when the full schedule fits unchanged. */
  full: boolean;
}

/** Share of the time left (after fixed work) that a cut-down search gets. */
export const SEARCH_SHARE = 1 / 3;
/** Smallest search worth running: population x generations. */
const MIN_POPULATION = 4;
const MIN_GENERATIONS = 1;
/** Validation evaluations may take at most this share of DST's time. */
const EVAL_SHARE = 0.15;
const MIN_EVALS = 3;

/** Fitness calls of a search at most (generation 0, then at most population - 1 new genomes each). */
export function searchEvaluations(population: number, generations: number): number {
  return population + generations * Math.max(population - 1, 1);
}

/** Seconds of DST: epochs of steps plus the validation evaluations. */
export function trainSeconds(epochs: number, evals: number, stepsPerEpoch: number, c: RunCosts): number {
  return epochs * stepsPerEpoch * c.step + Math.min(evals, epochs * stepsPerEpoch) * c.evaluation;
}

/** Population, parents and generations for about `evals` fitness calls, capped by the full search. */
export function sizeSearch(evals: number, full: Schedule): Pick<Schedule, 'population' | 'generations' | 'parents'> {
  // Population and generations grow together, as in the paper's 25 x 25.
  const population = Math.max(MIN_POPULATION, Math.min(full.population, Math.round(Math.sqrt(evals))));
  const generations = Math.max(MIN_GENERATIONS, Math.min(full.generations, Math.floor((evals - population) / Math.max(population - 1, 1))));
  const parents = Math.max(2, Math.min(population - 1, Math.round((full.parents / full.population) * population)));
  return { population, generations, parents };
}

/** Epochs and validation evaluations of DST that fit `seconds`. */
export function sizeTraining(seconds: number, stepsPerEpoch: number, c: RunCosts, full: Schedule): Pick<Schedule, 'epochs' | 'evalsPerRun'> {
  const evalsFit = Math.floor((EVAL_SHARE * seconds) / Math.max(c.evaluation, 1e-6));
  const evalsPerRun = Math.max(Math.min(MIN_EVALS, full.evalsPerRun), Math.min(full.evalsPerRun, evalsFit));
  const epochs = Math.floor((seconds - evalsPerRun * c.evaluation) / Math.max(stepsPerEpoch * c.step, 1e-6));
  return { epochs: Math.max(1, Math.min(full.epochs, epochs)), evalsPerRun };
}

/** The schedule for a budget: the full one when it fits, else a search and DST cut to fit. */
export function planBudget(r: BudgetRequest): BudgetPlan {
  const { costs: c, full } = r;
  const searchOf = (s: Pick<Schedule, 'population' | 'generations'>) => (r.search ? searchEvaluations(s.population, s.generations) * c.fitness : 0);
  const fullSearch = searchOf(full);
  const fullTrain = trainSeconds(full.epochs, full.evalsPerRun, r.stepsPerEpoch, c);
  if (c.fixed + fullSearch + fullTrain <= r.seconds) {
    return { ...full, searchSeconds: fullSearch, trainSeconds: fullTrain, totalSeconds: c.fixed + fullSearch + fullTrain, full: true };
  }
  const free = Math.max(0, r.seconds - c.fixed);
  const search = r.search ? sizeSearch((SEARCH_SHARE * free) / Math.max(c.fitness, 1e-6), full) : { population: full.population, generations: full.generations, parents: full.parents };
  const searchSeconds = searchOf(search);
  const train = sizeTraining(free - searchSeconds, r.stepsPerEpoch, c, full);
  const trainSec = trainSeconds(train.epochs, train.evalsPerRun, r.stepsPerEpoch, c);
  return { ...search, ...train, searchSeconds, trainSeconds: trainSec, totalSeconds: c.fixed + searchSeconds + trainSec, full: false };
}

/** "search 16 x 10, 60 epochs, about 9 min" */
export function describePlan(p: BudgetPlan, search: boolean): string {
  const t = p.totalSeconds;
  const time = t < 90 ? `${Math.max(1, Math.round(t))} s` : `${(t / 60).toFixed(t < 600 ? 1 : 0)} min`;
  const parts = [search ? `search ${p.population} x ${p.generations}` : null, `${p.epochs} epoch${p.epochs === 1 ? '' : 's'}`, `${p.evalsPerRun} validation checks`];
  return `${parts.filter(Boolean).join(', ')}, about ${time}${p.full ? ' (the full schedule fits)' : ''}`;
}
