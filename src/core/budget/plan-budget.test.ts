import { describe, expect, it } from 'vitest';
import { describePlan, FILL, PATIENT_EPOCHS, planBudget, searchEvaluations, sizeSearch, trainSeconds, type RunCosts, type Schedule } from './plan-budget';

const paper: Schedule = { population: 25, generations: 25, parents: 10, epochs: 100, evalsPerRun: 10 };
const costs: RunCosts = { fitness: 0.2, step: 0.1, evaluation: 0.5, fixed: 10 };

describe('planBudget', () => {
  it('keeps the full schedule when it fits, with its cost', () => {
    const full = 10 + searchEvaluations(25, 25) * 0.2 + 100 * 7 * 0.1 + 10 * 0.5;
    const p = planBudget({ seconds: full + 1, costs, stepsPerEpoch: 7, search: true, full: paper });
    expect(p).toMatchObject({ ...paper, full: true });
    expect(p.totalSeconds).toBeCloseTo(full, 9);
    expect(describePlan(p, true)).toBe(`search 25 x 25, 100 epochs, 10 validation checks, about ${(full / 60).toFixed(1)} min (the full schedule fits)`);
  });

  it('spends time left over after the full schedule on longer training, within FILL of the budget', () => {
    const fullCost = 10 + searchEvaluations(25, 25) * 0.2 + 100 * 7 * 0.1 + 10 * 0.5;
    const seconds = 2 * fullCost;
    const p = planBudget({ seconds, costs, stepsPerEpoch: 7, search: true, full: paper });
    expect(p).toMatchObject({ population: 25, generations: 25, full: true, extended: true });
    expect(p.epochs).toBeGreaterThan(100);
    expect(p.evalsPerRun).toBeGreaterThan(10);
    expect(p.totalSeconds).toBeLessThanOrEqual(FILL * seconds + 1e-9);
    // Nearly all of FILL: less than one epoch and one check short of it.
    expect(p.totalSeconds).toBeGreaterThan(FILL * seconds - 7 * 0.1 - 0.5);
    expect(describePlan(p, true)).toMatch(/training goes on longer to use the budget\)$/);
    // A huge budget stops at PATIENT_EPOCHS times the epochs and twice the checks.
    const huge = planBudget({ seconds: 1e6, costs, stepsPerEpoch: 7, search: true, full: paper });
    expect(huge).toMatchObject({ epochs: PATIENT_EPOCHS * 100, evalsPerRun: 20, extended: true });
  });

  it('cuts search and training to fit, about a third of the free time to the search', () => {
    for (const seconds of [60, 120, 300, 600]) {
      const p = planBudget({ seconds, costs: { ...costs, step: 2.6, fitness: 4, evaluation: 3 }, stepsPerEpoch: 2, search: true, full: paper });
      expect(p.full).toBe(false);
      expect(p.totalSeconds).toBeLessThanOrEqual(seconds * 1.02);
      // A third of the free time, or the smallest search (4 x 1) where a third cannot hold it.
      expect(p.searchSeconds).toBeLessThanOrEqual(Math.max((seconds - 10) / 3, searchEvaluations(4, 1) * 4) + 1e-9);
      expect(p.population).toBeGreaterThanOrEqual(4);
      expect(p.generations).toBeGreaterThanOrEqual(1);
      expect(p.parents).toBeLessThan(p.population);
      expect(p.epochs).toBeGreaterThanOrEqual(1);
    }
    const small = planBudget({ seconds: 120, costs, stepsPerEpoch: 7, search: true, full: paper });
    const big = planBudget({ seconds: 600, costs, stepsPerEpoch: 7, search: true, full: paper });
    expect(big.population * big.generations).toBeGreaterThan(small.population * small.generations);
    expect(big.epochs).toBeGreaterThanOrEqual(small.epochs);
  });

  it('gives the whole budget to training when the run does not search (N:M, heuristics)', () => {
    const p = planBudget({ seconds: 40, costs, stepsPerEpoch: 7, search: false, full: paper });
    expect(p.searchSeconds).toBe(0);
    expect(p.epochs).toBe(Math.floor((30 - p.evalsPerRun * 0.5) / 0.7));
    expect(trainSeconds(p.epochs, p.evalsPerRun, 7, costs)).toBeLessThanOrEqual(30);
    expect(describePlan(p, false)).toMatch(/^\d+ epochs, \d+ validation checks, about \d+ s$/);
  });

  it('grows population and generations together, within the full search', () => {
    expect(sizeSearch(100, paper)).toEqual({ population: 10, generations: 10, parents: 4 });
    expect(sizeSearch(1e6, paper)).toEqual({ population: 25, generations: 25, parents: 10 });
    expect(sizeSearch(3, paper)).toEqual({ population: 4, generations: 1, parents: 2 });
  });
});
