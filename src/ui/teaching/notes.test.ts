/**
 * The teaching notes against recorded runs: real event streams of the demo (CLI, --events) at
 * 90% unstructured, at 2:4, and at 30% for one epoch (where the one-shot model is returned). Every number a
 * sentence says is checked against the run's own events and report.
 */
import { describe, expect, it } from 'vitest';
import type { ProgressEvent, RunReport } from '../../core/events';
import { applyEvents, idleRun, type RunState } from '../run-state';
import { churnNote, evalNote, klNote, searchNote, sparsityNote, tauNote } from './chart-notes';
import { phaseNote } from './phase-notes';
import { runSummary } from './summary';
import { runVerdict } from '../run-verdict';
import { returnedSentence } from '../result/returned-words';
import demo90 from './fixtures/demo-90.json';
import demo24 from './fixtures/demo-2of4.json';
import demo30 from './fixtures/demo-30-1epoch.json';

interface Recording {
  events: ProgressEvent[];
  report: RunReport;
}

/** The run as the page holds it once every event is in and the report has come. */
function fold(rec: Recording): RunState {
  const run = applyEvents({ ...idleRun, status: 'running' }, rec.events);
  return { ...run, status: 'done', report: rec.report, layers: rec.report.layers };
}

const pc = (x: number) => `${(x * 100).toFixed(1)}%`;
const r90 = demo90 as unknown as Recording;
const r24 = demo24 as unknown as Recording;
const r30 = demo30 as unknown as Recording;

describe('teaching notes on the recorded demo at 90%', () => {
  const run = fold(r90);
  const rep = r90.report;

  it('the summary says dense, one-shot and returned with the report\'s numbers', () => {
    const text = runSummary(rep, runVerdict(run)!).join(' ');
    expect(rep.returned).toBe('trained');
    expect(text).toContain(`${pc(rep.dense.top1!)} top-1 accuracy on ${rep.dense.count} validation images`);
    expect(text).toContain(`dropped it to ${pc(rep.oneShot.top1!)}`);
    expect(text).toContain(`brought it back to ${pc(rep.final.top1!)}`);
    expect(text).toContain(`${((rep.final.top1! - rep.oneShot.top1!) * 100).toFixed(1)} points won back`);
    expect(text).toContain(`taken at step ${rep.bestStep}`);
  });

  it('the KL note reports the fall the KL series shows, and every KL is non-negative', () => {
    const kl = r90.events.flatMap((e) => (e.type === 'train-step' ? [e.kl] : []));
    expect(kl.length).toBe(45);
    expect(Math.min(...kl)).toBeGreaterThanOrEqual(0);
    const first = kl.slice(0, 10).reduce((a, v) => a + v, 0) / 10;
    const last = kl.slice(-10).reduce((a, v) => a + v, 0) / 10;
    expect(last).toBeLessThan(first * 0.8);
    expect(klNote(run)).toBe(`The KL gap between sparse and dense outputs (mean of 10 steps) fell from ${first.toFixed(2)} to ${last.toFixed(2)}: the sparse network answers more and more like the dense one.`);
  });

  it('the sparsity note names the layers the search spared and their share of the weights', () => {
    const spared = rep.layers.filter((l) => l.targetSparsity < 0.8);
    expect(spared.map((l) => l.name)).toEqual(['conv1', 'logits']);
    const share = spared.reduce((a, l) => a + l.params, 0) / rep.layers.reduce((a, l) => a + l.params, 0);
    const note = sparsityNote(run)!;
    expect(note).toContain('The search spared conv1 and logits');
    expect(note).toContain(`only ${pc(share)} of the weights`);
    expect(note).toContain(`conv1 ${(spared[0]!.targetSparsity * 100).toFixed(0)}%`);
  });

  it('the log-base, validation, search and churn notes quote the last event of each series', () => {
    const steps = r90.events.filter((e) => e.type === 'train-step');
    const lastTau = steps[steps.length - 1]!.tau;
    expect(tauNote(run)).toContain(`now e^${lastTau.toFixed(2)} (it began at e^8.00)`);
    expect(tauNote(run)).toContain(`${(8 / lastTau).toFixed(2)}x as hard`);
    const lastEval = r90.events.filter((e) => e.type === 'eval').pop()!;
    expect(evalNote(run)).toBe(
      `At step ${lastEval.step} the validation top-1 accuracy is ${pc(lastEval.metrics.top1!)}, ${((lastEval.metrics.top1! - rep.oneShot.top1!) * 100).toFixed(1)} points above the one-shot model's ${pc(rep.oneShot.top1!)}. ` +
        `Best checkpoint: step ${rep.bestStep}, which scored ${pc(rep.final.top1!)}, above the one-shot model's ${pc(rep.oneShot.top1!)}: the trained model was returned.`,
    );
    const lastGen = r90.events.filter((e) => e.type === 'search-generation').pop()!;
    expect(searchNote(run)).toContain(`Best so far: ${pc(lastGen.best)} (generation ${lastGen.generation})`);
    expect(churnNote(run)).toMatch(/^Churn is down to 0\.\d\d% \(peak 0\.\d\d%\): the masks have settled\.$/);
  });

  it('one sentence per phase, with the phase\'s own numbers', () => {
    expect(phaseNote(run, 'dense-eval')).toBe(`The dense model scores ${pc(rep.dense.top1!)} top-1 accuracy on 60 validation images: the mark to win back.`);
    expect(phaseNote(run, 'one-shot')).toBe(`Cutting 90% of the weights at once, with no training, leaves ${pc(rep.oneShot.top1!)}.`);
    expect(phaseNote(run, 'dst')).toContain('45 training step(s)');
    expect(phaseNote(run, 'export')).toContain(`${pc(rep.globalSparsity)} of the prunable weights are 0`);
    expect(phaseNote({ ...idleRun }, 'search')).toBeNull();
  });
});

describe('teaching notes on other recorded runs', () => {
  it('a long list of spared layers names the three most spared and counts the rest', () => {
    const layers = Array.from({ length: 8 }, (_, i) => ({ ...r90.report.layers[1]!, name: `block${i}`, params: 100, targetSparsity: i < 6 ? 0.1 * i : 0.95, uniform: 0.9 }));
    const note = sparsityNote({ ...idleRun, layers })!;
    expect(note).toContain('The search spared block0, block1, block2 and 3 other layers (block0 0%, block1 10% and block2 20% sparse');
    expect(note).toContain('together they hold 75.0% of the weights.');
  });

  it('2:4: the sparsity note explains the groups and names the layer that does not fit', () => {
    const note = sparsityNote(fold(r24))!;
    expect(note).toContain('groups of 4 keeps the 2 largest weights of each group (2:4)');
    expect(note).toContain('conv1 does not fit the groups, so it is pruned unstructured instead');
    expect(phaseNote(fold(r24), 'search')).toMatch(/nothing to search/);
  });

  it('an unstructured run without a search names its rule instead of N:M', () => {
    const run = fold(r24);
    const uniform = { ...run, report: { ...run.report!, pattern: 'unstructured', distribution: 'uniform' } };
    expect(phaseNote(uniform, 'search')).toBe('This run shares the sparsity by the uniform rule, so there is nothing to search.');
    expect(phaseNote(uniform, 'search')).not.toMatch(/N:M/);
  });

  it('30%, one epoch: a checkpoint level with the one-shot model is called a tie everywhere, and the one-shot model comes back', () => {
    const run = fold(r30);
    const rep = r30.report;
    expect(rep.returned).toBe('one-shot');
    // Step 5 scored exactly the one-shot model's 78.3%, and the run did not keep it.
    const verdict = runVerdict(run)!;
    expect(verdict).toMatchObject({ returned: 'one-shot', relation: 'tie', best: { step: 5 } });
    const tie = `training's best checkpoint on the validation images (step 5) only tied with the one-shot model at ${pc(rep.oneShot.top1!)}`;
    expect(returnedSentence(verdict)).toBe(`The one-shot model was returned: ${tie}.`);
    const text = runSummary(rep, verdict).join(' ');
    expect(text).toContain(`On the validation images, training's best checkpoint (step 5) only tied with the one-shot model at ${pc(rep.oneShot.top1!)}. So the studio hands back the one-shot model.`);
    expect(evalNote(run)).toBe(
      `At step 15 the validation top-1 accuracy is 76.7%, 1.7 points below the one-shot model's ${pc(rep.oneShot.top1!)}. ` +
        `Training's best checkpoint: step 5, which only tied with the one-shot model at ${pc(rep.oneShot.top1!)}: the one-shot model was returned.`,
    );
    for (const said of [returnedSentence(verdict), text, evalNote(run)!]) expect(said).not.toMatch(/beat|won back|worse than that/);
  });

  it('a trained model returned on a tie (a lower KL) is never said to beat the one-shot model', () => {
    // The recorded 90% run with its kept checkpoint scoring exactly the one-shot model's 36.7%, closer to the dense outputs.
    const rep = r90.report;
    const level = { ...rep.final, top1: rep.oneShot.top1!, kl: 0.9 };
    const run = { ...fold(r90), evals: [{ step: 15, agreement: level.agreement, top1: level.top1, kl: level.kl, best: true }] };
    run.report = { ...rep, final: level, bestStep: 15 };
    const verdict = runVerdict(run)!;
    expect(verdict).toMatchObject({ returned: 'trained', relation: 'tie', best: { step: 15 } });
    const why = `tied with the one-shot model at ${pc(rep.oneShot.top1!)}, and its outputs are closer to the dense model's (KL 0.900 against 1.22)`;
    expect(returnedSentence(verdict)).toBe(`The trained model was returned: its best checkpoint on the validation images (step 15) ${why}.`);
    const summary = runSummary(run.report, verdict).join(' ');
    expect(summary).toContain(`Training the sparse network to answer like the dense one won no points back: its best checkpoint (step 15) ${why}.`);
    expect(summary).toContain('The studio hands back this trained model, taken at step 15');
    expect(evalNote(run)).toBe(
      `At step 15 the validation top-1 accuracy is ${pc(rep.oneShot.top1!)}, level with the one-shot model's ${pc(rep.oneShot.top1!)}. ` +
        `Best checkpoint: step 15, which ${why}: the trained model was returned.`,
    );
    for (const said of [returnedSentence(verdict), summary, evalNote(run)!]) expect(said).not.toMatch(/beat|above|fallback/);
  });

  it('a kept checkpoint that scores below the one-shot model is said to, with the KL that made the run keep it', () => {
    const rep = r90.report;
    const closer = { ...rep.final, top1: 0.35, kl: 0.8 };
    const run = { ...fold(r90), evals: [{ step: 30, agreement: closer.agreement, top1: closer.top1, kl: closer.kl, best: true }] };
    run.report = { ...rep, final: closer, bestStep: 30 };
    const verdict = runVerdict(run)!;
    expect(verdict).toMatchObject({ returned: 'trained', relation: 'below' });
    const why = `scored 35.0%, below the one-shot model's 36.7%, but its outputs are closer to the dense model's (KL 0.800 against 1.22)`;
    expect(returnedSentence(verdict)).toBe(`The trained model was returned: its best checkpoint on the validation images (step 30) ${why}.`);
    expect(runSummary(run.report, verdict).join(' ')).toContain(`won no points back: its best checkpoint (step 30) ${why}.`);
    expect(evalNote(run)).toContain(`Best checkpoint: step 30, which ${why}: the trained model was returned.`);
  });

  it('while training runs, the one-shot model stays the fallback until a checkpoint is kept, and a kept one stays the one to return', () => {
    const evals = fold(r90).evals;
    const live = { ...fold(r90), status: 'running' as const, report: null, metrics: { dense: r90.report.dense, oneShot: r90.report.oneShot } };
    const below = { ...live, evals: [{ ...evals[1]!, top1: 0.3, best: false }] };
    expect(evalNote(below)).toBe(
      "At step 30 the validation top-1 accuracy is 30.0%, 6.7 points below the one-shot model's 36.7%. " +
        "Training's best checkpoint: step 30, which scored 30.0%, below the one-shot model's 36.7%: the one-shot model stays the fallback.",
    );
    const dip = { ...live, evals: [evals[0]!, { ...evals[1]!, top1: 0.3, best: false }] };
    expect(evalNote(dip)).toContain(`6.7 points below the one-shot model's 36.7%. Best checkpoint: step 15, which scored ${pc(evals[0]!.top1!)}, above the one-shot model's 36.7%: the trained model is the one to return so far.`);
  });

  it('unlabelled images: the dense model is the reference, never "100.0% agreement with the dense model"', () => {
    const unlabelled = (m: typeof r90.report.dense) => ({ agreement: m.agreement, kl: m.kl, count: m.count });
    const rep = { ...r90.report, dense: unlabelled(r90.report.dense), oneShot: unlabelled(r90.report.oneShot), final: unlabelled(r90.report.final) };
    const run = { ...fold(r90), report: rep, metrics: { dense: rep.dense, oneShot: rep.oneShot, final: rep.final } };
    const said = [...runSummary(rep, runVerdict(run)!), phaseNote(run, 'dense-eval')!].join(' ');
    expect(said).not.toMatch(/100\.0%/);
    expect(runSummary(rep, runVerdict(run)!)[0]).toBe(
      'The dense network is the reference: with unlabelled images, the pruned models are scored by their agreement with the dense model on 60 validation images it never trained on.',
    );
    expect(phaseNote({ ...run, metrics: { ...run.metrics, dense: { ...rep.dense, count: 1 } } }, 'dense-eval')).toBe(
      "The dense model's answers on 1 validation image are the reference: the pruned models are scored by their agreement with them.",
    );
  });

  it('a diverged step (KL NaN) leaves the KL note on the finite steps, and a blown-up KL is said in exponent form', () => {
    const run = fold(r90);
    const train = run.train.map((p, i) => (i === run.train.length - 1 ? { ...p, kl: Number.NaN } : p));
    expect(klNote({ ...run, train })).not.toContain('NaN');
    expect(klNote({ ...run, train: [{ ...run.train[0]!, kl: Number.NaN }] })).toBeNull();
    const blown = run.train.map((p, i) => (i >= run.train.length - 10 ? { ...p, kl: 1.84e22 } : p));
    expect(klNote({ ...run, train: blown })).toContain('to 1.84e+22: the sparse network is drifting away');
  });
});
