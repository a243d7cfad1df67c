// Entry of a training thread: TypeScript through tsx, as the CLI's own entry, then the worker.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker-main.ts');
