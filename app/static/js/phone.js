// The participant's phone: the round of the moment, drawn by its kind's phone view
// (kinds/index.js), and in the header the participant's group, the agenda's now/next and the
// round's countdown. This page keeps the connection, the header, the outbox and the dispatch.
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
const lang = root.dataset.lang === 'nb' ? 'nb' : 'en';

// What the outbox is holding back while the server asks it to wait, by event.
const HELD_WHAT = {
  en: { submit_idea: 'your idea', submit_comment: 'your comment', edit_worksheet: 'your text', submit_survey: 'your answers' },
  nb: { submit_idea: 'idéen din', submit_comment: 'kommentaren din', edit_worksheet: 'teksten din', submit_survey: 'svarene dine' },
};

const T = {
  en: {
    waiting: 'Waiting for the facilitator to start a round…',
    closed: 'This round is closed.', results: 'Results', online: 'Connected', offline: (n) => n ? `Offline – ${n} unsent, will send when back` : 'Offline – reconnecting…',
    saving: 'Saving…', saved: 'Saved ✓', refused: 'Not saved', notRevealed: 'Results will be shown by the facilitator.', counting: 'Closed – counting the votes…',
    mine: 'yours', voters: (n) => `${n} voted`,
    group: (g, t) => (t ? `${g} · ${t}` : g), now: 'Now', next: 'Next', paused: 'paused', timeUp: "time's up", timeLeft: 'Time left',
    survey: 'Answer the survey:', howCounted: 'How it was counted:',
    anonHelp: 'This vote is anonymous: nothing is sent until you tap “Submit my vote”, and it cannot be changed after that.',
    submitVote: 'Submit my vote', sending: 'Sending…', voteIn: 'Your anonymous vote is in.', voteInMore: 'Thank you. The results come when the facilitator shows them.',
    groupRound: (g) => `${g}: you vote on your group's ideas.`,
    noGroup: 'This round is held in groups and you are not in one yet. Ask the facilitator.',
    thanks: 'Thank you for taking part in this round.',
    signedOut: 'You have been signed out of this workshop. Join again with the code.', joinAgain: 'Join again',
    held: ({ code, event, seconds }) => (code === 'busy'
      ? `The server is very busy; ${HELD_WHAT.en[event] || 'your vote'} will be sent in ${seconds} s.`
      : `You are sending very fast; ${HELD_WHAT.en[event] || 'your vote'} will be sent in ${seconds} s.`),
  },
  nb: {
    waiting: 'Venter på at fasilitatoren starter en runde…',
    closed: 'Denne runden er lukket.', results: 'Resultat', online: 'Tilkoblet', offline: (n) => n ? `Frakoblet – ${n} ikke sendt, sendes når nettet er tilbake` : 'Frakoblet – kobler til igjen…',
    saving: 'Lagrer…', saved: 'Lagret ✓', refused: 'Ikke lagret', notRevealed: 'Fasilitatoren viser resultatet senere.', counting: 'Lukket – stemmene telles…',
    mine: 'din', voters: (n) => `${n} har stemt`,
    group: (g, t) => (t ? `${g} · ${t}` : g), now: 'Nå', next: 'Neste', paused: 'pause', timeUp: 'tiden er ute', timeLeft: 'Tid igjen',
    survey: 'Svar på undersøkelsen:', howCounted: 'Slik ble det telt:',
    anonHelp: 'Denne avstemningen er anonym: ingenting sendes før du trykker «Send stemmen min», og den kan ikke endres etterpå.',
    submitVote: 'Send stemmen min', sending: 'Sender…', voteIn: 'Den anonyme stemmen din er registrert.', voteInMore: 'Takk. Resultatet kommer når fasilitatoren viser det.',
    groupRound: (g) => `${g}: du stemmer over gruppens idéer.`,
    noGroup: 'Denne runden holdes i grupper, og du er ikke i en gruppe ennå. Spør fasilitatoren.',
    thanks: 'Takk for at du deltok i denne runden.',
    signedOut: 'Du er logget ut av denne workshopen. Bli med på nytt med koden.', joinAgain: 'Bli med på nytt',
    held: ({ code, event, seconds }) => (code === 'busy'
      ? `Tjeneren har mye å gjøre nå; ${HELD_WHAT.nb[event] || 'stemmen din'} sendes om ${seconds} s.`
      : `Du sender veldig fort; ${HELD_WHAT.nb[event] || 'stemmen din'} sendes om ${seconds} s.`),
  },
}[lang];

let state = null;
const holder = { view: null, key: null }; // the kind's view on the stage, and the key it was built for
const countdown = new Countdown(document.getElementById('countdown'), { labels: { paused: T.paused, done: T.timeUp } });
let shownTimer;

function showError(message) {
  errorEl.textContent = message;
  errorEl.hidden = !message;
}

function setStatus(kind, arg) {
  statusEl.dataset.kind = kind;
  if (kind === 'held') { statusEl.textContent = T.held(arg); return; }
  statusEl.textContent = kind === 'offline' ? T.offline(arg) : kind === 'error' ? arg : kind === 'online' ? T.online : kind === 'saving' ? T.saving : kind === 'refused' ? T.refused : T.saved;
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
    h('p', {}, T.signedOut), h('a', { class: 'button primary', href: `/w/${code}` }, T.joinAgain)));
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
  lang, code, live, t: T, showError, setStatus,
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
    if (!round) stage.append(h('p', { class: 'waiting' }, T.waiting));
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
  groupEl.textContent = me.group ? T.group(me.group, me.table) : '';
  drawAgenda(agendaEl, state.agenda, { now: T.now, next: T.next });
  const timer = state.round && state.round.state === 'open' ? state.round.timer : null;
  if (timer !== shownTimer) { shownTimer = timer; countdown.set(timer); }
  const survey = (state.surveys || []).find((s) => !s.responded);
  surveyEl.hidden = !survey;
  surveyEl.replaceChildren(survey
    ? h('a', { href: `/w/${encodeURIComponent(code)}/survey/${survey.id}`, id: 'survey-link', class: 'button primary' }, T.survey, ' ', survey.title)
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
