import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadBuiltin } from './actions';
import { loadHistory } from './history/history-actions';
import { setView } from './store';
import { App } from './app';
import { workerClient } from './worker-client';
import { installDebugHooks } from './worker/debug-hooks';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

// A file dropped outside a drop zone would make the browser open it and leave the studio.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());

// #/runs opens the run history; the links keep the hash in step.
const viewOfHash = () => setView(location.hash === '#/runs' ? 'runs' : 'studio');
viewOfHash();
window.addEventListener('hashchange', viewOfHash);

// Start the worker while the page renders, open with the demo loaded, and read the saved runs.
const client = workerClient();
void loadBuiltin('demo');
void loadHistory();

// Hooks for the browser tests (?debug=faults only).
installDebugHooks(client.life);
