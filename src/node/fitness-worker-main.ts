/** A search worker thread (see fitness-workers.ts): the run's backend, then engine/pipeline/fitness-pool.ts's worker side. */
import { serveFitness, type FromFitnessWorker, type ToFitnessWorker } from '../engine/pipeline/fitness-pool';
import { runChannel, startRunBackend } from './thread-side';

serveFitness(runChannel<ToFitnessWorker, FromFitnessWorker>(), startRunBackend);
