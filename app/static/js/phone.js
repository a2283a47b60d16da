// The participant's phone: the round of the moment, drawn by its kind's phone view
// (kinds/index.js), and in the header the participant's group, the agenda's now/next and the
// round's countdown. This page keeps the connection, the header, the outbox and the dispatch.
import { formatNumber, gettext, ngettext } from './i18n.js';
import { connect, h, ofMyGroup } from './live.js';
import { Countdown, drawAgenda } from './day.js';
import { kindOf, showView, viewKey } from './kinds/index.js';

const root = document.getElementById('phone');
const stage = document.getElementById('stage');
const statusEl = document.getElementById('status');
const errorEl = document.getElementById('error');
const groupEl = document.getElementById('phone-group');
const agendaEl = document.getElementById('phone-agenda');
const surveyEl = document.getElementById('survey-banner');
const code = root.dataset.code;

// The status line while the server asks the outbox to wait: what is held back, and why.
function heldText({ code: why, event, seconds }) {
  const n = formatNumber(seconds);
  if (why === 'busy') {
    switch (event) {
      case 'submit_idea': return gettext('The server is very busy; your idea will be sent in %(n)s s.', { n });
      case 'submit_comment': return gettext('The server is very busy; your comment will be sent in %(n)s s.', { n });
      case 'edit_worksheet': return gettext('The server is very busy; your text will be sent in %(n)s s.', { n });
      case 'submit_survey': return gettext('The server is very busy; your answers will be sent in %(n)s s.', { n });
      default: return gettext('The server is very busy; your vote will be sent in %(n)s s.', { n });
    }
  }
  switch (event) {
    case 'submit_idea': return gettext('You are sending very fast; your idea will be sent in %(n)s s.', { n });
    case 'submit_comment': return gettext('You are sending very fast; your comment will be sent in %(n)s s.', { n });
    case 'edit_worksheet': return gettext('You are sending very fast; your text will be sent in %(n)s s.', { n });
    case 'submit_survey': return gettext('You are sending very fast; your answers will be sent in %(n)s s.', { n });
    default: return gettext('You are sending very fast; your vote will be sent in %(n)s s.', { n });
  }
}

function offlineText(unsent) {
  return unsent
    ? ngettext('Offline – %(n)s unsent, will send when back', 'Offline – %(n)s unsent, will send when back', unsent)
    : gettext('Offline – reconnecting…');
}

let state = null;
const holder = { view: null, key: null }; // the kind's view on the stage, and the key it was built for
const countdown = new Countdown(document.getElementById('countdown'));
let shownTimer;

function showError(message) {
  errorEl.textContent = message;
  errorEl.hidden = !message;
}

function setStatus(kind, arg) {
  statusEl.dataset.kind = kind;
  if (kind === 'held') { statusEl.textContent = heldText(arg); return; }
  statusEl.textContent = kind === 'offline' ? offlineText(arg) : kind === 'error' ? arg : kind === 'online' ? gettext('Connected')
    : kind === 'saving' ? gettext('Saving…') : kind === 'refused' ? gettext('Not saved') : gettext('Saved ✓');
}

// The token was revoked (the people page, or "Not you?" on another device): nothing works
// until this person joins again, so the page says so instead of showing a dead round.
let ended = false;

function signedOut() {
  ended = true;
  countdown.set(null);
  showError('');
  statusEl.textContent = '';
  if (holder.view) holder.view.destroy();
  holder.view = null;
  stage.replaceChildren(h('div', { class: 'signed-out', role: 'alert', id: 'signed-out' },
    h('p', {}, gettext('You have been signed out of this workshop. Join again with the code.')),
    h('a', { class: 'button primary', href: `/w/${code}` }, gettext('Join again'))));
  // "Not you? Join again" would say the same a second time, and its token is already ended.
  const foot = document.querySelector('.phone-foot');
  if (foot) foot.hidden = true;
}

// A kind's own event (a comment, a worksheet field): its view hears it first, then the kind
// applies it to the state and says whether to redraw.
function kindEvent(event, msg) {
  if (!state || !state.round) return;
  const handler = (kindOf(state.round).on || {})[event];
  if (!handler) return;
  if (holder.view && holder.view.receive) holder.view.receive(event, msg);
  if (handler(state, msg, 'phone')) render();
}

const live = connect('/participant', code, {
  onSignedOut: signedOut,
  onState: (s) => { state = s; render(); },
  onStatus: setStatus,
  on: {
    round_state: () => live.sync(),
    idea_added: (idea) => {
      if (!state || !state.round || idea.round_id !== state.round.id || !ofMyGroup(state, idea)) return;
      if (!state.ideas.some((i) => i.id === idea.id)) state.ideas.push(idea);
      render();
    },
    idea_updated: (idea) => {
      if (!state || !state.round) return;
      const handler = (kindOf(state.round).on || {}).idea_updated;
      // In a vote, hiding, merging or editing an idea changes what is voted on: fetch it all again.
      if (!handler) { live.sync(); return; }
      if (handler(state, idea, 'phone')) render();
    },
    ballot: (msg) => {
      if (!state || !state.round || msg.round_id !== state.round.id) return;
      if (msg.voted) state.voted = true;
      const redraw = holder.view && holder.view.receive ? holder.view.receive('ballot', msg) : true;
      if (redraw) render();
    },
    tally: (tally) => {
      if (!state || !state.round || tally.round_id !== state.round.id) return;
      state.tally = tally;
      // Phones show a tally only under a closed round; redrawing an open one would disturb
      // a participant in the middle of dragging or typing.
      if (state.round.state !== 'open') render();
    },
    agenda: (agenda) => { if (state) { state.agenda = agenda; renderHeader(); } },
    timer: (timer) => {
      if (!state || !state.round || timer.round_id !== state.round.id) return;
      state.round.timer = timer.running || (timer.remaining !== null && timer.remaining !== undefined) ? timer : null;
      renderHeader();
    },
    comment_added: (c) => kindEvent('comment_added', c),
    comment_updated: (c) => kindEvent('comment_updated', c),
    worksheet_field: (msg) => kindEvent('worksheet_field', msg),
  },
});

// What a kind's phone view is given besides the state (see kinds/index.js).
const ctx = {
  code, live, showError, setStatus,
  statusText: (text) => { statusEl.textContent = text; },
  render: () => render(),
  current: () => state,
};

// --- drawing -------------------------------------------------------------------------------

function render() {
  if (ended) return;
  if (!state) return;
  renderHeader();
  const key = viewKey('phone', state, [state.round && state.round.state]);
  const previous = holder.key;
  const focus = focusedControl();
  const rebuilt = showView(holder, 'phone', state, key, ctx, () => {
    stage.replaceChildren();
    const round = state.round;
    if (!round) stage.append(h('p', { class: 'waiting' }, gettext('Waiting for the facilitator to start a round…')));
    else stage.append(h('h1', { class: 'round-title' }, round.title));
    return stage;
  });
  if (rebuilt) restoreFocus(focus);
  // A new round starts at its title, not wherever the last one was scrolled to.
  if (rebuilt && (!previous || String(previous).split('|')[0] !== key.split('|')[0])) window.scrollTo(0, 0);
}

function renderHeader() {
  const me = state.me || {};
  groupEl.hidden = !me.group;
  groupEl.textContent = me.group ? [me.group, me.table].filter(Boolean).join(' · ') : '';
  drawAgenda(agendaEl, state.agenda);
  const timer = state.round && state.round.state === 'open' ? state.round.timer : null;
  if (timer !== shownTimer) { shownTimer = timer; countdown.set(timer); }
  const survey = (state.surveys || []).find((s) => !s.responded);
  surveyEl.hidden = !survey;
  surveyEl.replaceChildren(survey
    ? h('a', { href: `/w/${encodeURIComponent(code)}/survey/${survey.id}`, id: 'survey-link', class: 'button primary' }, gettext('Answer the survey:'), ' ', survey.title)
    : '');
}

// The focused button of an idea (e.g. its "+"), so a rebuilt view can put the focus back on it.
function focusedControl() {
  const el = document.activeElement;
  if (!el || !stage.contains(el)) return null;
  const item = el.closest('[data-idea-id]');
  const control = ['plus', 'minus', 'up', 'down'].find((c) => el.classList.contains(c));
  return item && control ? { id: item.dataset.ideaId, control } : null;
}

function restoreFocus(focus) {
  if (!focus) return;
  const btn = stage.querySelector(`[data-idea-id="${focus.id}"] .${focus.control}`);
  if (btn && !btn.disabled) btn.focus({ preventScroll: true });
}
