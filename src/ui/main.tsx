import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadBuiltin } from './actions';
import { App } from './app';
import { workerClient } from './worker-client';
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

// Start the worker while the page renders, and open with the demo loaded.
workerClient();
void loadBuiltin('demo');
