// The projector: the round of the moment drawn by its kind's projector view (kinds/index.js):
// an idea wall while brainstorming, a live chart made for each way of voting, the final list
// with how it was counted, comments and worksheets; this page keeps the connection, the
// countdown, the agenda and the counts.
import { formatNumber, gettext, locale, ngettext } from './i18n.js';
import { connect } from './live.js';
import { Countdown, drawAgenda } from './day.js';
import { kindOf, showView, viewKey } from './kinds/index.js';

const root = document.getElementById('display');
const code = root.dataset.code;

// The labels beside the join panel's counts (the page marks them with ``data-i18n``).
const COUNT_LABELS = {
  participants: (n) => ngettext('participant', 'participants', n),
  connected: () => gettext('connected'),
};

const titleEl = document.getElementById('round-title');
const metaEl = document.getElementById('round-meta');
const wall = document.getElementById('wall');
const board = document.getElementById('board');
const chartBox = document.getElementById('chart-box');
const finalEl = document.getElementById('final');
const cardEl = document.getElementById('method-card');
const agendaEl = document.getElementById('agenda-strip');
const countdown = new Countdown(document.getElementById('countdown'));
let shownTimer;
let state = null;
const holder = { view: null, key: null }; // the kind's view, and the key it was built for
if (window.Chart) Object.assign(window.Chart.defaults, { color: '#1d2327', locale }); // the axes' numbers too

// A kind's own event (a comment, a worksheet field), applied by the kind to the state.
function kindEvent(event, msg) {
  if (!state || !state.round) return;
  const handler = (kindOf(state.round).on || {})[event];
  if (handler && handler(state, msg, 'display')) render();
}

const live = connect('/display', code, {
  onState: (s) => { state = s; render(); },
  on: {
    round_state: (s) => { state = { ...s, connected: state ? state.connected : s.connected }; render(); },
    idea_added: (idea) => { if (state && state.round && idea.round_id === state.round.id && !state.ideas.some((i) => i.id === idea.id)) { state.ideas.push(idea); render(); } },
    idea_updated: (idea) => {
      if (!state || !state.round) return;
      const handler = (kindOf(state.round).on || {}).idea_updated;
      if (!handler) { live.sync(); return; } // what is voted on changed
      if (handler(state, idea, 'display')) render();
    },
    tally: (tally) => { if (state && state.round && tally.round_id === state.round.id) { state.tally = tally; state.voters = tally.voters; render(); } },
    presence: (p) => { if (!state) return; state.participants = p.participants; state.connected = p.connected; drawCounts(); },
    agenda: (agenda) => { if (state) { state.agenda = agenda; drawHeader(); } },
    timer: (timer) => {
      if (!state || !state.round || timer.round_id !== state.round.id) return;
      state.round.timer = timer.running || (timer.remaining !== null && timer.remaining !== undefined) ? timer : null;
      drawHeader();
    },
    comment_added: (c) => kindEvent('comment_added', c),
    comment_updated: (c) => kindEvent('comment_updated', c),
    worksheet_field: (msg) => kindEvent('worksheet_field', msg),
  },
});

// What a kind's projector view is given besides the state (see kinds/index.js).
const ctx = {
  parts: { root, meta: metaEl, wall, board, chartBox, canvas: document.getElementById('chart'), final: finalEl, card: cardEl },
};

// --- drawing ------------------------------------------------------------------------------

function drawCounts() {
  const counts = { participants: state.participants || 0, connected: state.connected ?? 0 };
  document.getElementById('participant-count').textContent = formatNumber(counts.participants);
  document.getElementById('connected-count').textContent = formatNumber(counts.connected);
  for (const el of document.querySelectorAll('[data-i18n]')) {
    const label = COUNT_LABELS[el.dataset.i18n];
    if (label) el.textContent = label(counts[el.dataset.i18n]);
  }
}

function drawHeader() {
  drawCounts();
  drawAgenda(agendaEl, state.agenda);
  const timer = state.round && state.round.state === 'open' ? state.round.timer : null;
  if (timer !== shownTimer) { shownTimer = timer; countdown.set(timer); }
}

function render() {
  if (!state) return;
  drawHeader();
  const round = state.round;
  root.dataset.kind = round ? round.kind : '';
  titleEl.textContent = round ? round.title : state.workshop.title;
  showView(holder, 'display', state, viewKey('display', state), ctx, () => {
    wall.replaceChildren(); finalEl.replaceChildren(); board.replaceChildren();
    wall.hidden = true; chartBox.hidden = true; finalEl.hidden = true; board.hidden = true; cardEl.hidden = true;
    delete root.dataset.chart;
    metaEl.textContent = round ? '' : gettext('Join now – the first round starts soon');
    return root;
  });
}
