// The console's list of the workshop's jobs (reports, backups, imports, counting a large
// round), from the server's ``job_progress`` events: what each is doing, how far it got, the
// file when it is ready, and why it failed with a way to start it again.
import { gettext } from './i18n.js';
import { h } from './live.js';

const DONE_KEEP_MS = 8000; // a finished job stays listed this long (a file stays until dismissed)

export function mountJobs(el, { act }) {
  const jobs = new Map(); // id -> the last job_progress payload

  function row(job) {
    const failed = job.status === 'failed';
    const done = job.status === 'done';
    const parts = [h('strong', {}, job.heading || gettext('Working…')), ' '];
    if (failed) {
      parts.push(h('span', { class: 'job-error' }, job.error ? job.error.message : gettext('It failed.')));
      if (job.kind === 'count_result' && job.round_id) {
        parts.push(' ', h('button', { type: 'button', class: 'small', onclick: () => act('count_result', { round_id: job.round_id }) }, gettext('Count again')));
      } else if (job.kind === 'export') {
        parts.push(' ', h('a', { href: `${job.url.split('?')[0]}?again=1` }, gettext('Try again')));
      }
    } else if (done) {
      if (job.kind === 'export') parts.push(h('a', { href: job.url, class: 'job-file' }, gettext('Ready – download')));
      else parts.push(h('span', {}, job.kind === 'count_result' ? gettext('the result is in ✓') : gettext('done ✓')));
    } else {
      parts.push(h('span', { class: 'muted' }, job.progress.text || gettext('waiting for a worker…')));
      const bar = h('progress', { 'aria-label': job.heading || gettext('Progress') });
      if (job.progress.total) { bar.max = job.progress.total; bar.value = job.progress.done; }
      parts.push(' ', bar);
    }
    if (done || failed) parts.push(' ', h('button', { type: 'button', class: 'small link', 'aria-label': gettext('Dismiss'), onclick: () => { jobs.delete(job.id); draw(); } }, '×'));
    return h('li', { class: `job job-${job.status}`, dataset: { jobId: job.id, kind: job.kind } }, ...parts);
  }

  function draw() {
    el.replaceChildren(...(jobs.size ? [h('ul', { class: 'jobs' }, [...jobs.values()].map(row))] : []));
    el.hidden = jobs.size === 0;
  }

  return {
    progress(job) {
      const known = jobs.get(job.id);
      jobs.set(job.id, { ...known, ...job, round_id: job.round_id ?? (known && known.round_id) });
      if (job.status === 'done' && job.kind !== 'export') {
        setTimeout(() => { if (jobs.get(job.id)?.status === 'done') { jobs.delete(job.id); draw(); } }, DONE_KEEP_MS);
      }
      draw();
    },
  };
}
