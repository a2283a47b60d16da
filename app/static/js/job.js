// A job's page: polls the job's URL for its JSON status and shows how far it got; when the
// job is done the same URL gives the file (or, for an import, goes on to what it made).
import { gettext } from './i18n.js';

const root = document.getElementById('job');

function show(status) {
  const text = document.getElementById('job-progress');
  const bar = document.getElementById('job-bar');
  if (text) text.textContent = status.progress.text;
  if (bar && status.progress.total) {
    bar.max = status.progress.total;
    bar.value = status.progress.done;
  }
}

async function poll(url) {
  let delay = 500;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(2000, delay + 250);
    let status;
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      status = await response.json();
    } catch (err) {
      continue; // the server is busy or restarting: try again
    }
    if (status.status === 'queued' || status.status === 'running') {
      show(status);
      continue;
    }
    if (status.status === 'failed') {
      window.location.reload(); // the page says why, with a way to start again
      return;
    }
    finish(url); // done: the same URL, asked for normally, gives the file
    return;
  }
}

function finish(url) {
  const ready = document.getElementById('job-ready');
  const text = document.getElementById('job-progress');
  const bar = document.getElementById('job-bar');
  if (text) text.textContent = gettext('Ready.');
  if (bar) bar.hidden = true;
  if (ready) ready.hidden = false;
  window.location.assign(url);
}

if (root && (root.dataset.status === 'queued' || root.dataset.status === 'running')) {
  poll(root.dataset.statusUrl);
}
