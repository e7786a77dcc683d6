// Start-up: connect (the client picks IPC or WebSocket), start syncing the store, render.
import './zod-config.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { startSync } from './store/sync.js';
import { startRulesSync } from './store/rules-store.js';
import { startProcessSync } from './store/processes.js';
import './styles/base.css';
import './styles/shell.css';
import './styles/routes.css';
import './styles/traffic.css';
import './styles/rules.css';

startSync();
startRulesSync();
startProcessSync();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
