/** A training thread (see train-workers.ts): the run's backend, then engine/train/replicas.ts's helper side. */
import { serveReplica, type FromReplica, type ToReplica } from '../engine/train/replicas';
import { runChannel, startRunBackend } from './thread-side';

serveReplica(
  runChannel<ToReplica, FromReplica>(),
  startRunBackend,
  // Tests: PTS_STUDIO_TRAIN_THREAD_FAULT=n fails each training thread at its n-th step.
  Number(process.env['PTS_STUDIO_TRAIN_THREAD_FAULT'] ?? '') || undefined,
);
