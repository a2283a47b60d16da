// The facilitator's console: rounds with open/close/reveal, the room (presence, agenda, timer),
// and the live round drawn by its kind's console view (kinds/index.js): the ideas with
// curation, the tally with its breakdowns, comments and worksheets.
import { formatNumber, gettext, ngettext } from './i18n.js';
import { connect, h, keepFocus } from './live.js';
import { Countdown, drawAgenda, nowNext } from './day.js';
import { createCuration } from './kinds/curation.js';
import { mountJobs } from './jobs_panel.js';
import { isVote, kindOf, showView, viewKey } from './kinds/index.js';

const root = document.getElementById('console');
const code = root.dataset.code;
const errorEl = document.getElementById('console-error');
const connEl = document.getElementById('connection');
const urls = JSON.parse(document.getElementById('console-urls').textContent);
const sectorNames = JSON.parse(document.getElementById('sector-labels').textContent);
let state = JSON.parse(document.getElementById('initial-state').textContent);

const $ = (id) => document.getElementById(id);
const countdown = new Countdown($('console-countdown'));
let shownTimer;

function showError(message) { errorEl.textContent = message || ''; errorEl.hidden = !message; }
const ideaUrl = (template, id) => template.replace('/rounds/0/', `/rounds/${id}/`);

// A round's state as the badge and the live round's title say it.
function stateName(state) {
  return { draft: gettext('draft'), open: gettext('open'), closed: gettext('closed') }[state] || state;
}

// Counts that only a full state carries (who has submitted, the sector breakdown) are fetched
// again shortly after things change, at most every 1.5 s.
let extrasTimer = null;
function refreshExtras() {
  if (extrasTimer) return;
  extrasTimer = setTimeout(async () => {
    extrasTimer = null;
    const resp = await live.request('sync');
    if (!resp || !resp.ok) return;
    const s = resp.state;
    if (!state.round || !s.round || s.round.id !== state.round.id || s.round.state !== state.round.state) { state = s; render(); return; }
    Object.assign(state, { submitted: s.submitted, breakdown: s.breakdown, comparison: s.comparison, merges: s.merges, connected: s.connected, connected_by_group: s.connected_by_group });
    renderMeta(); renderPresence(); renderLive(['meta', 'extras', 'merges']);
  }, 1500);
}

function withPresence(s) {
  // A round change does not carry the presence counts: keep the last ones.
  return { ...s, connected: s.connected ?? state.connected, connected_by_group: s.connected_by_group ?? state.connected_by_group };
}

// A kind's own event (a comment, a worksheet field), applied by the kind to the state;
// 'recount' asks for the counts only a full state carries.
function kindEvent(event, msg) {
  if (!state.round) return;
  const handler = (kindOf(state.round).on || {})[event];
  const result = handler && handler(state, msg, 'console');
  if (!result) return;
  renderMeta(); renderLive();
  if (result === 'recount') refreshExtras();
}

const jobsPanel = mountJobs($('console-jobs'), { act: (event, payload) => act(event, payload) });

const live = connect('/facilitator', code, {
  onSignedOut: (message) => {
    showError(message || gettext('You have been logged out. Log in again to run the workshop.'));
    connEl.textContent = gettext('logged out');
    connEl.dataset.kind = 'error';
  },
  onState: (s) => { state = s; render(); },
  onStatus: (kind, text) => {
    connEl.textContent = kind === 'error' ? text : kind === 'held' ? text.message : kind === 'offline' ? gettext('offline') : gettext('live');
    connEl.dataset.kind = kind;
  },
  on: {
    round_state: (s) => { state = withPresence(s); render(); refreshExtras(); }, // groups may have changed: fresh counts
    idea_added: (idea) => {
      if (state.round && idea.round_id === state.round.id && !state.ideas.some((i) => i.id === idea.id)) {
        state.ideas.push(idea);
        renderMeta(); renderLive(['meta', 'ideas']); refreshExtras();
      }
    },
    idea_updated: (idea) => {
      if (isVote(state.round)) { live.sync(); return; } // what is voted on changed
      if (!state.ideas.some((i) => i.id === idea.id)) return;
      state.ideas = state.ideas.map((i) => (i.id === idea.id ? idea : i));
      renderMeta(); renderLive(['meta', 'ideas']);
    },
    tally: (tally) => {
      if (!state.round || tally.round_id !== state.round.id) return;
      state.tally = tally; state.voters = tally.voters; state.submitted = tally.voters;
      renderMeta(); renderLive(['meta', 'tally']); refreshExtras();
    },
    presence: (p) => {
      Object.assign(state, { participants: p.participants, connected: p.connected, connected_by_group: p.connected_by_group });
      renderPresence(); renderMeta(); renderLive(['meta']);
    },
    agenda: (agenda) => { state.agenda = agenda; renderAgenda(); },
    timer: (timer) => {
      const active = timer.running || (timer.remaining !== null && timer.remaining !== undefined) ? timer : null;
      for (const r of [state.round, ...(state.rounds || [])]) if (r && r.id === timer.round_id) r.timer = active;
      renderTimer();
    },
    job_progress: (job) => jobsPanel.progress(job),
    comment_added: (c) => kindEvent('comment_added', c),
    comment_updated: (c) => kindEvent('comment_updated', c),
    worksheet_field: (msg) => kindEvent('worksheet_field', msg),
  },
});

async function act(event, payload) {
  showError('');
  const resp = await live.request(event, payload);
  if (!resp || !resp.ok) showError(resp ? resp.error.message : gettext('No answer from the server.'));
  return resp;
}

// --- the room: presence, agenda, timer -------------------------------------------------------

function renderPresence() {
  $('participant-count').textContent = formatNumber(state.participants || 0);
  $('connected-count').textContent = formatNumber(state.connected ?? 0);
  const by = state.connected_by_group || {};
  const parts = (state.groups || []).map((g) => h('span', { class: 'group-count', dataset: { groupId: g.id } }, `${g.name}: `, h('strong', {}, formatNumber(by[String(g.id)] || 0))));
  if (by.none) parts.push(h('span', { class: 'group-count', dataset: { groupId: 'none' } }, gettext('No group:'), ' ', h('strong', {}, formatNumber(by.none))));
  $('presence-groups').replaceChildren(...parts);
}

function renderAgenda() {
  const agenda = state.agenda || { items: [] };
  drawAgenda($('agenda-now'), agenda);
  const { next } = nowNext(agenda);
  $('agenda-empty').hidden = agenda.items.length > 0;
  const button = $('agenda-next');
  button.hidden = !next;
  button.textContent = agenda.now ? gettext('Next agenda item') : gettext('Start the agenda');
}
$('agenda-next').addEventListener('click', () => {
  const { next } = nowNext(state.agenda);
  if (next) act('set_agenda_now', { item_id: next.id }).then((resp) => { if (resp && resp.ok) { state.agenda = resp.agenda; renderAgenda(); } });
});

function renderTimer() {
  const round = state.round;
  const open = Boolean(round && round.state === 'open');
  $('timer-controls').hidden = !open;
  const timer = open ? round.timer : null;
  if (timer !== shownTimer) { shownTimer = timer; countdown.set(timer); }
  $('timer-pause').hidden = !(timer && timer.running);
  $('timer-resume').hidden = !(timer && !timer.running);
  $('timer-extend').hidden = !timer;
  $('timer-clear').hidden = !timer;
  $('timer-start').textContent = timer ? gettext('Restart timer') : gettext('Start timer');
}

async function timerAct(event, extra = {}) {
  if (!state.round) return;
  const resp = await act(event, { round_id: state.round.id, ...extra });
  if (resp && resp.ok) {
    const t = resp.timer;
    state.round.timer = t.running || (t.remaining !== null && t.remaining !== undefined) ? t : null;
    renderTimer();
  }
}
$('timer-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const minutes = Number($('timer-minutes').value);
  if (!(minutes > 0)) { showError(gettext('Give the time in minutes, for example 5.')); return; }
  timerAct('start_timer', { seconds: Math.round(minutes * 60), auto_close: $('timer-auto').checked });
});
$('timer-pause').addEventListener('click', () => timerAct('pause_timer'));
$('timer-resume').addEventListener('click', () => timerAct('resume_timer'));
$('timer-extend').addEventListener('click', () => timerAct('extend_timer', { seconds: 60 }));
$('timer-clear').addEventListener('click', () => timerAct('clear_timer'));

// --- rounds ----------------------------------------------------------------------------------

function roundItem(r) {
  const buttons = [];
  const id = (what) => `round-${r.id}-${what}`;
  if (r.state === 'open') buttons.push(h('button', { type: 'button', id: id('close'), onclick: () => act('close_round', { round_id: r.id }) }, gettext('Close')));
  else if (r.state === 'closed') buttons.push(h('button', { type: 'button', id: id('open'), onclick: () => act('open_round', { round_id: r.id }) }, gettext('Reopen')));
  else buttons.push(h('button', { type: 'button', id: id('open'), class: 'primary', onclick: () => act('open_round', { round_id: r.id }) }, gettext('Open')));
  if (isVote(r)) {
    buttons.push(h('button', { type: 'button', id: id('reveal'), onclick: () => act('reveal_results', { round_id: r.id, revealed: !r.results_revealed }) },
      r.results_revealed ? gettext('Hide results') : gettext('Reveal results')));
  }
  if (r.state === 'closed' && isVote(r)) {
    buttons.push(h('a', { href: ideaUrl(urls.round_csv, r.id) }, 'CSV'));
    buttons.push(h('a', { href: ideaUrl(urls.round_json, r.id) }, 'JSON'));
  }
  const links = kindOf(r).roundLinks;
  if (links) buttons.push(...links(r, urls, ideaUrl));
  const s = r.settings || {};
  const badges = [
    h('span', { class: 'badge' }, r.kind_label), ' ', h('span', { class: 'badge state' }, stateName(r.state)),
    isVote(r) && !r.results_revealed ? [' ', h('span', { class: 'badge' }, gettext('results hidden'))] : null,
    s.anonymous ? [' ', h('span', { class: 'badge' }, gettext('anonymous'))] : null,
    s.per_group ? [' ', h('span', { class: 'badge' }, gettext('in groups'))] : null,
  ];
  return h('li', { class: `round state-${r.state}`, dataset: { roundId: r.id } },
    h('div', { class: 'round-title' }, h('strong', {}, r.title), ' ', badges),
    h('div', { class: 'round-actions' }, buttons));
}

function renderRounds() {
  const list = $('rounds');
  keepFocus(list, () => list.replaceChildren(...(state.rounds || []).map(roundItem)));
}

// --- the live round ----------------------------------------------------------------------------

// The curation of ideas (edit, theme, hide, merge), kept across redraws and rounds.
const curation = createCuration({ $, act, current: () => state });

// What a kind's console view is given besides the state (see kinds/index.js).
const ctx = { $, act, live, curation, keepFocus, sectorNames, urls, ideaUrl, current: () => state };
const holder = { view: null, key: null }; // the kind's view of the live round, and its key

function renderMeta() {
  const round = state.round;
  const submitted = $('live-submitted');
  $('live-title').textContent = round ? `${round.title} (${stateName(round.state)})` : gettext('Nothing open');
  submitted.hidden = !round || kindOf(round).submits === false;
  submitted.textContent = round ? gettext('Submitted: %(n)s', { n: formatNumber(state.submitted ?? 0) }) : '';
  const mode = $('live-mode');
  const s = (round && round.settings) || {};
  const kindMode = round && kindOf(round).mode;
  const modes = !round ? [] : [
    kindMode ? kindMode(s) : null,
    s.anonymous ? gettext('Anonymous: ballots are stored without names') : null,
    s.per_group ? ngettext('Held in groups: the top %(n)s of each group goes on', 'Held in groups: the top %(n)s of each group go on', Number(s.group_top_n)) : null,
    s.tie_break === 'facilitator' ? gettext('You decide ties after closing') : s.tie_break === 'prior_round' ? gettext('Ties broken by the earlier round') : null,
  ].filter(Boolean);
  mode.hidden = !modes.length;
  mode.replaceChildren(...modes.map((m) => h('span', { class: 'badge' }, m)));
  if (!round) $('live-meta').textContent = gettext('Open a round to start.');
}

// Draw the live round with its kind's view: ``which`` names the parts to draw again (all when
// not given); another round (or kind) mounts a new view.
function renderLive(which) {
  showView(holder, 'console', state, viewKey('console', state), ctx, () => {
    $('live-meta').textContent = state.round ? '' : gettext('Open a round to start.');
    $('live-tally').replaceChildren();
    $('live-card').hidden = true;
    for (const id of ['live-extras', 'live-comments', 'live-worksheets']) $(id).replaceChildren();
    curation.clear();
    return root;
  }, which);
}

function render() {
  renderPresence();
  renderAgenda();
  renderRounds();
  renderMeta();
  renderTimer();
  renderLive();
}

// Show only the settings that belong to the chosen kind of round (and, for some, to a ticked
// box such as "Held in groups"); the hidden ones are not sent.
const roundForm = document.getElementById('round-form');
const kindSelect = roundForm && roundForm.querySelector('select[name="kind"]');
function syncKind() {
  for (const el of roundForm.querySelectorAll('[data-for-kinds]')) el.hidden = !el.dataset.forKinds.split(' ').includes(kindSelect.value);
  for (const el of roundForm.querySelectorAll('[data-when-checked]')) {
    const box = roundForm.querySelector(`input[name="${el.dataset.whenChecked}"]`);
    el.hidden = !(box && box.checked && !box.closest('[hidden]'));
  }
  for (const input of roundForm.querySelectorAll('[data-for-kinds] input, [data-for-kinds] select, [data-for-kinds] textarea')) {
    input.disabled = Boolean(input.closest('[hidden]'));
  }
}
if (kindSelect) {
  kindSelect.addEventListener('change', syncKind);
  roundForm.addEventListener('change', (event) => { if (event.target.name === 'per_group') syncKind(); });
  syncKind();
}
render();
