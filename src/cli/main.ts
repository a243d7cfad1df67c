/** `pts-studio`: the headless CLI over the same engine the studio's worker runs. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { isAbortError } from '../core/abort';
import type { ProgressEvent } from '../core/events';
import { UNLABELLED_HINT } from '../core/unlabelled';
import { plural } from '../core/words/plural';
import { parseClassList } from '../engine/data/dataset';
import { errorMessage } from '../engine/errors';
import { WEIGHTS_FILE } from '../engine/export/export-model';
import { StudioSession } from '../engine/session';
import { setupNodeBackend } from '../node/backend';
import { nodeFitnessWorkers } from '../node/fitness-workers';
import { nodeTrainingThreads } from '../node/train-workers';
import { decodeNode } from '../node/decode';
import { readModelFiles, writeOnnxModel } from './model-files';
import { folderNamer, readImageFolder, readTeachableLabels } from './inputs';
import { HELP, parsePrune } from './args';
import { cliSplit } from './split';
import { ProgressPrinter } from './printer';
import { isOutOfMemory, outOfMemoryMessage, type RunPosition } from './memory-error';
import { readResume, writeCheckpoint, writeInputs } from './resume-files';

/** PTS_STUDIO_FAULT=oom-at-step:N makes training fail at step N as the wasm heap does when full (tests). */
function injectedFault(): number | null {
  const m = /^oom-at-step:(\d+)$/.exec(process.env.PTS_STUDIO_FAULT ?? '');
  return m ? Number(m[1]) : null;
}

async function prune(argv: string[]): Promise<number> {
  // The time budget counts from here: loading the model and images is part of the wait.
  const startedAt = performance.now();
  const cmd = parsePrune(argv);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const resumed = cmd.resume ? await readResume(resolve(cmd.resume)) : null;
  if (resumed) {
    const batch = cmd.batchGiven ? cmd.options.batchSize : resumed.checkpoint.options.batchSize;
    Object.assign(cmd, { ...resumed.inputs, options: { ...resumed.checkpoint.options, batchSize: batch } });
    cmd.preprocessGiven = true;
    const c = resumed.checkpoint;
    if (c.train && batch !== c.options.batchSize) {
      // Steps of another batch size cannot continue these: training starts again from the one-shot model.
      resumed.checkpoint = { ...c, train: null, best: null };
      log(`resuming the run in ${cmd.resume} with batch ${batch}: training starts again from its one-shot model (the search is not repeated)`);
    } else {
      log(`resuming the run in ${cmd.resume} from ${c.train ? `training step ${c.train.step}` : 'the end of its one-shot phase (the search is not repeated)'}`);
    }
  }
  const note = await setupNodeBackend(cmd.backend, cmd.threads);
  const session = new StudioSession({ decode: decodeNode, backend: tf.getBackend() });
  log(`pts-studio: backend ${tf.getBackend()}: ${note}`);
  const summary = await session.loadModel(await readModelFiles(resolve(cmd.model)));
  log(`model ${summary.name}: input ${summary.inputShape.join('x')}, ${plural(summary.numClasses, 'class')}, ${plural(summary.prunable.length, 'prunable kernel')} (${summary.prunableParams.toLocaleString('en')} weights)`);
  if (!cmd.preprocessGiven) cmd.options.preprocess = summary.suggestedPreprocess;
  const calibFiles = (await readImageFolder(cmd.images, '--images')).map((f) => ({ ...f, path: `calib/${f.path}` }));
  const evalFiles = cmd.valImages ? (await readImageFolder(cmd.valImages, '--val-images')).map((f) => ({ ...f, path: `eval/${f.path}` })) : [];
  const teachable = await readTeachableLabels(resolve(cmd.model));
  const classList = cmd.classList ? parseClassList(await readFile(resolve(cmd.classList), 'utf8')) : teachable?.labels;
  if (teachable && !cmd.classList) log(`Teachable Machine export: ${teachable.labels.length} labels from metadata.json beside the model`);
  if (teachable && !cmd.preprocessGiven) cmd.options.preprocess = teachable.preprocess;
  // The engine names the folders calib/ and eval/; messages name the folders the user gave.
  const named = folderNamer(cmd);
  const unlabelledHint = (message: string) => message.replace(UNLABELLED_HINT, 'or pass --unlabelled (scores are then agreement with the dense model)');
  let ds;
  try {
    ds = await session.loadImages([...calibFiles, ...evalFiles], classList, undefined, cmd.unlabelled);
  } catch (e) {
    throw new Error(unlabelledHint(named(errorMessage(e))));
  }
  for (const s of ds.skipped) log(`skipped ${named(s.file ?? '')}: ${named(s.message)}`);
  for (const w of ds.warnings) log(`warning: ${named(w)}`);
  log(`images: ${ds.count} usable in ${cmd.images}${cmd.valImages ? ` and ${cmd.valImages}` : ''}, ${ds.labelled ? `labels from ${ds.labelSource === 'indices' ? 'folder names as class indices' : ds.labelSource === 'class-list' ? 'folder names matched to the class list' : 'sorted folder names'}` : 'unlabelled (scores are agreement with the dense model)'}`);
  if (cmd.testImages) {
    let test;
    try {
      test = await session.loadTestImages(await readImageFolder(cmd.testImages, '--test-images'), classList, undefined, cmd.unlabelled);
    } catch (e) {
      throw new Error(`${cmd.testImages} (--test-images): ${unlabelledHint(errorMessage(e))}`);
    }
    for (const s of test.skipped) log(`skipped test image ${s.file ?? ''}: ${s.message}`);
    log(`test images: ${test.count} from ${cmd.testImages}, scored once at the end (they choose nothing)`);
  }
  const split = cliSplit(session.imagePaths, session.imageLabels, cmd);
  const controller = new AbortController();
  process.once('SIGINT', () => {
    log('cancelling...');
    controller.abort();
  });
  const printer = new ProgressPrinter(cmd.quiet ? () => {} : log);
  const events: ProgressEvent[] = [];
  const out = resolve(cmd.out);
  await mkdir(join(out, 'model'), { recursive: true });
  await writeInputs(out, { model: resolve(cmd.model), images: resolve(cmd.images), valImages: cmd.valImages && resolve(cmd.valImages), testImages: cmd.testImages && resolve(cmd.testImages), classList: cmd.classList && resolve(cmd.classList), calibCount: cmd.calibCount, unlabelled: cmd.unlabelled });
  const where: RunPosition = { phase: null, step: null };
  const fault = injectedFault();
  let saved = resumed !== null;
  let result;
  try {
    result = await session.run(
      cmd.options,
      (e) => {
        if (cmd.events) events.push(e);
        if (e.type === 'phase') where.phase = e.phase;
        if (e.type === 'train-step') {
          where.step = e.step;
          if (fault !== null && e.step === fault) throw new Error('Aborted(). (out of memory injected by PTS_STUDIO_FAULT)');
        }
        printer.handle(e);
      },
      controller.signal,
      split ?? undefined,
      {
        ...(resumed ? { resume: resumed.checkpoint } : {}),
        ...(cmd.trainThreads > 1 ? { trainingThreads: (files) => nodeTrainingThreads(files, cmd.trainThreads, tf.getBackend()) } : {}),
        ...(cmd.searchWorkers > 0 ? { searchWorkers: (files) => nodeFitnessWorkers(files, cmd.searchWorkers, tf.getBackend(), !cmd.searchWorkersGiven) } : {}),
        onCheckpoint: async (c) => {
          await writeCheckpoint(out, c);
          saved = true;
        },
      },
      startedAt,
    );
  } catch (e) {
    if (isOutOfMemory(e)) throw new Error(outOfMemoryMessage(where, cmd.options.batchSize, cmd.out, saved));
    throw e;
  }
  await writeFile(join(out, 'model', 'model.json'), result.modelJson);
  await writeFile(join(out, 'model', WEIGHTS_FILE), new Uint8Array(result.weights));
  await writeFile(join(out, 'masks.json'), result.masksJson);
  await writeFile(join(out, 'masks.bin'), new Uint8Array(result.masks));
  await writeFile(join(out, 'recipe.json'), result.recipeJson);
  if (result.nmPacked) await writeFile(join(out, 'nm-packed.bin'), new Uint8Array(result.nmPacked));
  const onnx = await writeOnnxModel(out, result);
  // Peak resident memory of this process so far (the engine's report cannot see the process).
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  await writeFile(join(out, 'report.json'), JSON.stringify({ ...result.report, process: { peakRssMB, wallSeconds: (performance.now() - startedAt) / 1000 } }, null, 2));
  if (cmd.events) await writeFile(resolve(cmd.events), JSON.stringify({ events, report: result.report }));
  new ProgressPrinter(log).summary(result.report);
  const heap = result.report.memory.heapBytes;
  log(`wall time ${((performance.now() - startedAt) / 1000).toFixed(1)} s, peak resident memory ${peakRssMB.toFixed(0)} MB${heap !== null ? ` (wasm heap ${(heap / 2 ** 20).toFixed(0)} MB)` : ''}`);
  log(`wrote ${out}/report.json, recipe.json, masks.json, masks.bin${onnx ? `, ${onnx}` : ''} and model/`);
  session.dispose();
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help' || rest.includes('--help')) {
    process.stdout.write(HELP);
    return command && !['--help', '-h', 'help'].includes(command) && command !== 'prune' ? 2 : 0;
  }
  if (command !== 'prune') {
    process.stderr.write(`pts-studio: unknown command "${command}". Try: npx pts-studio prune --help\n`);
    return 2;
  }
  try {
    return await prune(rest);
  } catch (e) {
    if (isAbortError(e)) {
      process.stderr.write('pts-studio: cancelled\n');
      return 130;
    }
    process.stderr.write(`pts-studio: ${errorMessage(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
