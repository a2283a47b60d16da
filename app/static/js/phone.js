// The participant's phone: the round of the moment with an input made for its kind, and in
// the header the participant's group, the agenda's now/next and the round's countdown.
import { connect, h, rankLabel, RANK_METHODS, scoreText, VOTING_KINDS, withIdea } from './live.js';
import { Countdown, drawAgenda } from './day.js';
import { mountWorksheets } from './worksheet.js';

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
    waiting: 'Waiting for the facilitator to start a round…', yourIdea: 'Your idea', details: 'Details (optional)',
    send: 'Send idea', ideasSoFar: 'Ideas so far', noIdeas: 'No ideas yet – be the first!', dotsLeft: (n, b) => `${n} of ${b} dots left`,
    add: 'Add a dot to', remove: 'Remove a dot from', up: 'Move up', down: 'Move down', submitRanking: 'Save my ranking',
    rankHelp: 'Drag the ideas into your order, or use the arrows. Most important first.', rankingSaved: 'Your ranking is saved. You can change it until the round closes.',
    closed: 'This round is closed.', results: 'Results', online: 'Connected', offline: (n) => n ? `Offline – ${n} unsent, will send when back` : 'Offline – reconnecting…',
    saving: 'Saving…', saved: 'Saved ✓', sent: 'Idea sent ✓', notRevealed: 'Results will be shown by the facilitator.', chars: (n, m) => `${n}/${m}`,
    perIdea: (c) => `at most ${c} on one idea`, mine: 'yours', voters: (n) => `${n} voted`,
    group: (g, t) => (t ? `${g} · ${t}` : g), now: 'Now', next: 'Next', paused: 'paused', timeUp: "time's up", timeLeft: 'Time left',
    survey: 'Answer the survey:', countedWith: (m) => `Counted with ${m}.`, howCounted: 'How it was counted:',
    starsHelp: (lo, hi) => `Rate each idea from ${lo} (lowest) to ${hi} (highest). Tap your rating again to take it back.`,
    rate: (n, hi) => `${n} of ${hi}`,
    pointsHelp: (b) => `Share ${b} points among the ideas: slide, or type a number.`, pointsLeft: (n, b) => `${n} of ${b} left`,
    pointsFor: (t) => `Points for ${t}`,
    pairHelp: 'Which of the two matters more? Tap it.', compared: (k) => `${k} compared`, skip: 'Skip this pair', or: 'or',
    pairsDone: 'You have compared every pair. Thank you!',
    ieHelp: (lo, hi) => `Rate each idea's impact and the effort it takes, from ${lo} (low) to ${hi} (high).`,
    impact: 'Impact', effort: 'Effort', ieNeedEffort: 'Now choose the effort', ieNeedImpact: 'Now choose the impact', ieDone: 'Rated ✓',
    anonHelp: 'This vote is anonymous: nothing is sent until you tap “Submit my vote”, and it cannot be changed after that.',
    submitVote: 'Submit my vote', sending: 'Sending…', voteIn: 'Your anonymous vote is in.', voteInMore: 'Thank you. The results come when the facilitator shows them.',
    groupRound: (g) => `${g}: you vote on your group's ideas.`, groupIdeas: (g) => `${g}: you see your group's ideas.`,
    noGroup: 'This round is held in groups and you are not in one yet. Ask the facilitator.',
    commentHelp: 'Comment on the items below. Everyone sees the comments.', addComment: 'Add comment',
    yourComment: (n) => `Your comment on item ${n}`, noComments: 'No comments yet.', starred: 'Highlighted',
    commentCount: (n) => (n === 1 ? '1 comment' : `${n} comments`), commentSent: 'Comment added ✓',
    sheetsHelp: 'Write together with your group. Your text is saved as you go.', yourSheets: "Your group's worksheets",
    otherSheets: "Other groups' worksheets (read only)", noSheets: 'No worksheets yet.',
    wsLabels: {},
    quadrants: { quick_win: 'Quick win', major_project: 'Major project', fill_in: 'Fill-in', thankless: 'Thankless' },
    thanks: 'Thank you for taking part in this round.',
    signedOut: 'You have been signed out of this workshop. Join again with the code.', joinAgain: 'Join again',
    held: ({ code, event, seconds }) => (code === 'busy'
      ? `The server is very busy; ${HELD_WHAT.en[event] || 'your vote'} will be sent in ${seconds} s.`
      : `You are sending very fast; ${HELD_WHAT.en[event] || 'your vote'} will be sent in ${seconds} s.`),
  },
  nb: {
    waiting: 'Venter på at fasilitatoren starter en runde…', yourIdea: 'Din idé', details: 'Utdyping (valgfritt)',
    send: 'Send idé', ideasSoFar: 'Idéer så langt', noIdeas: 'Ingen idéer ennå – bli den første!', dotsLeft: (n, b) => `${n} av ${b} prikker igjen`,
    add: 'Legg en prikk på', remove: 'Fjern en prikk fra', up: 'Flytt opp', down: 'Flytt ned', submitRanking: 'Lagre rangeringen min',
    rankHelp: 'Dra idéene i den rekkefølgen du vil, eller bruk pilene. Viktigst først.', rankingSaved: 'Rangeringen din er lagret. Du kan endre den til runden lukkes.',
    closed: 'Denne runden er lukket.', results: 'Resultat', online: 'Tilkoblet', offline: (n) => n ? `Frakoblet – ${n} ikke sendt, sendes når nettet er tilbake` : 'Frakoblet – kobler til igjen…',
    saving: 'Lagrer…', saved: 'Lagret ✓', sent: 'Idé sendt ✓', notRevealed: 'Fasilitatoren viser resultatet senere.', chars: (n, m) => `${n}/${m}`,
    perIdea: (c) => `maks ${c} på én idé`, mine: 'din', voters: (n) => `${n} har stemt`,
    group: (g, t) => (t ? `${g} · ${t}` : g), now: 'Nå', next: 'Neste', paused: 'pause', timeUp: 'tiden er ute', timeLeft: 'Tid igjen',
    survey: 'Svar på undersøkelsen:', countedWith: (m) => `Telles med ${m}.`, howCounted: 'Slik ble det telt:',
    starsHelp: (lo, hi) => `Gi hver idé fra ${lo} (lavest) til ${hi} (høyest). Trykk på vurderingen igjen for å ta den tilbake.`,
    rate: (n, hi) => `${n} av ${hi}`,
    pointsHelp: (b) => `Fordel ${b} poeng mellom idéene: dra, eller skriv et tall.`, pointsLeft: (n, b) => `${n} av ${b} igjen`,
    pointsFor: (t) => `Poeng til ${t}`,
    pairHelp: 'Hvilken av de to er viktigst? Trykk på den.', compared: (k) => `${k} sammenlignet`, skip: 'Hopp over dette paret', or: 'eller',
    pairsDone: 'Du har sammenlignet alle parene. Takk!',
    ieHelp: (lo, hi) => `Vurder effekten av hver idé og innsatsen den krever, fra ${lo} (lav) til ${hi} (høy).`,
    impact: 'Effekt', effort: 'Innsats', ieNeedEffort: 'Velg innsats også', ieNeedImpact: 'Velg effekt også', ieDone: 'Vurdert ✓',
    anonHelp: 'Denne avstemningen er anonym: ingenting sendes før du trykker «Send stemmen min», og den kan ikke endres etterpå.',
    submitVote: 'Send stemmen min', sending: 'Sender…', voteIn: 'Den anonyme stemmen din er registrert.', voteInMore: 'Takk. Resultatet kommer når fasilitatoren viser det.',
    groupRound: (g) => `${g}: du stemmer over gruppens idéer.`, groupIdeas: (g) => `${g}: du ser gruppens idéer.`,
    noGroup: 'Denne runden holdes i grupper, og du er ikke i en gruppe ennå. Spør fasilitatoren.',
    commentHelp: 'Kommenter punktene under. Alle ser kommentarene.', addComment: 'Legg til kommentar',
    yourComment: (n) => `Din kommentar til punkt ${n}`, noComments: 'Ingen kommentarer ennå.', starred: 'Framhevet',
    commentCount: (n) => (n === 1 ? '1 kommentar' : `${n} kommentarer`), commentSent: 'Kommentar lagt til ✓',
    sheetsHelp: 'Skriv sammen med gruppen din. Teksten lagres mens du skriver.', yourSheets: 'Gruppens arbeidsark',
    otherSheets: 'De andre gruppenes arbeidsark (kun lesing)', noSheets: 'Ingen arbeidsark ennå.',
    wsLabels: {
      saved: 'Lagret', saving: 'Lagrer…', conflict: 'Noen andre endret også dette feltet. Teksten deres:',
      conflictBy: (who) => `${who} endret også dette feltet. Teksten deres:`, useMine: 'Lagre min sammenslåtte tekst', takeTheirs: 'Bruk teksten deres',
    },
    quadrants: { quick_win: 'Rask gevinst', major_project: 'Stort prosjekt', fill_in: 'Småtiltak', thankless: 'Utakknemlig' },
    thanks: 'Takk for at du deltok i denne runden.',
    signedOut: 'Du er logget ut av denne workshopen. Bli med på nytt med koden.', joinAgain: 'Bli med på nytt',
    held: ({ code, event, seconds }) => (code === 'busy'
      ? `Tjeneren har mye å gjøre nå; ${HELD_WHAT.nb[event] || 'stemmen din'} sendes om ${seconds} s.`
      : `Du sender veldig fort; ${HELD_WHAT.nb[event] || 'stemmen din'} sendes om ${seconds} s.`),
  },
}[lang];

let state = null;
const myIdeaIds = new Set();
const myCommentIds = new Set();
let rankingOrder = null; // the order on screen in a rank round (may differ from the saved ballot)
let rankingDirty = false;
let votePending = 0; // ballot changes sent but not yet answered: the screen shows them already
let view = null; // which round (and state) the stage was last built for
let refresh = null; // redraws the current view in place (null: rebuild it)
let draft = null; // an anonymous round's ballot, kept on this phone until it is submitted
let submitting = null; // the round whose anonymous ballot is on its way
let worksheetHandlers = [];
let pairsAsked = false;
const countdown = new Countdown(document.getElementById('countdown'), { labels: { paused: T.paused, done: T.timeUp } });
let shownTimer;

function showError(message) {
  errorEl.textContent = message;
  errorEl.hidden = !message;
}

function setStatus(kind, arg) {
  statusEl.dataset.kind = kind;
  if (kind === 'held') { statusEl.textContent = T.held(arg); return; }
  statusEl.textContent = kind === 'offline' ? T.offline(arg) : kind === 'error' ? arg : kind === 'online' ? T.online : kind === 'saving' ? T.saving : T.saved;
}

// The token was revoked (the people page, or "Not you?" on another device): nothing works
// until this person joins again, so the page says so instead of showing a dead round.
let ended = false;

function signedOut() {
  ended = true;
  countdown.set(null);
  showError('');
  statusEl.textContent = '';
  stage.replaceChildren(h('div', { class: 'signed-out', role: 'alert', id: 'signed-out' },
    h('p', {}, T.signedOut), h('a', { class: 'button primary', href: `/w/${code}` }, T.joinAgain)));
  // "Not you? Join again" would say the same a second time, and its token is already ended.
  const foot = document.querySelector('.phone-foot');
  if (foot) foot.hidden = true;
}

const live = connect('/participant', code, {
  onSignedOut: signedOut,
  onState: (s) => {
    // A new state of the same round keeps an unsaved ranking the participant is arranging.
    const sameRound = state && state.round && s.round && state.round.id === s.round.id;
    if (!sameRound || !rankingDirty) { rankingOrder = null; rankingDirty = false; }
    if (s.pairs && s.pairs.length) pairsAsked = false;
    state = s;
    render();
  },
  onStatus: setStatus,
  on: {
    round_state: () => live.sync(),
    idea_added: (idea) => {
      if (!state || !state.round || idea.round_id !== state.round.id || !ofMyGroup(idea)) return;
      if (!state.ideas.some((i) => i.id === idea.id)) state.ideas.push(idea);
      render();
    },
    idea_updated: (idea) => {
      if (!state || !state.round) return;
      // In a vote, hiding, merging or editing an idea changes what is voted on: fetch it all again.
      if (state.round.kind !== 'brainstorm') { live.sync(); return; }
      if (idea.round_id !== state.round.id || !ofMyGroup(idea)) return;
      state.ideas = withIdea(state.ideas, idea);
      render();
    },
    ballot: (msg) => {
      if (!state || !state.round || msg.round_id !== state.round.id) return;
      if (msg.voted) state.voted = true;
      if (anonymous()) { clearDraft(); render(); return; }
      if (votePending > 0) return; // the last answer brings it
      state.ballot = msg.ballot;
      if (state.round.kind === 'rank' && !rankingDirty) rankingOrder = null;
      render();
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
    comment_added: (c) => commentChanged(c),
    comment_updated: (c) => commentChanged(c),
    worksheet_field: (msg) => {
      if (!state || !state.worksheets) return;
      const sheet = state.worksheets.find((s) => s.id === msg.worksheet_id);
      const field = sheet && sheet.fields.find((f) => f.key === msg.key);
      worksheetHandlers.forEach((fn) => fn(msg));
      if (field && msg.version > field.version) Object.assign(field, { text: msg.text, version: msg.version, updated_by: msg.updated_by });
    },
  },
});

// In a brainstorm held in groups each group sees only its own ideas. The server sends a phone
// only its group's ideas; this check covers the moment between a move to another group and
// the sync that follows it.
function ofMyGroup(idea) {
  if (!(state.round.settings || {}).per_group || idea.hidden) return true;
  return idea.group_id !== undefined && idea.group_id === (state.me || {}).group_id;
}

function commentChanged(c) {
  if (!state || !state.round || state.round.kind !== 'comment' || c.round_id !== state.round.id) return;
  const others = (state.comments || []).filter((x) => x.id !== c.id);
  state.comments = c.hidden ? others : [...others, c].sort((a, b) => a.id - b.id);
  render();
}

// --- ballots ----------------------------------------------------------------------------

function isVote(round) { return Boolean(round && VOTING_KINDS.includes(round.kind)); }
function anonymous() { return Boolean(state && state.round && (state.round.settings || {}).anonymous); }
function emptyBallot(kind) { return kind === 'rank' ? [] : kind === 'pairwise' ? { comparisons: [], skipped: [] } : {}; }
function clone(value) { return JSON.parse(JSON.stringify(value)); }
function draftKey() { return `tavle-draft:${code}:${state.round.id}`; }

function getDraft() {
  if (!draft || draft.roundId !== state.round.id) {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(draftKey()) || 'null'); } catch (e) { saved = null; }
    draft = { roundId: state.round.id, ballot: saved || emptyBallot(state.round.kind) };
  }
  return draft.ballot;
}

function setDraft(ballot) {
  draft = { roundId: state.round.id, ballot };
  try { localStorage.setItem(draftKey(), JSON.stringify(ballot)); } catch (e) { /* private mode: memory only */ }
}

function clearDraft() {
  if (!state || !state.round) return;
  try { localStorage.removeItem(draftKey()); } catch (e) { /* nothing kept */ }
  draft = null;
}

// This participant's ballot as the screen shows it: the draft in an anonymous round.
function myBallot() {
  if (anonymous()) return getDraft();
  return state.ballot || emptyBallot(state.round.kind);
}

// Change one part of the ballot: at once on screen; sent as ``event`` in a named round, kept
// on the phone (until "Submit my vote") in an anonymous one.
function change(event, payload, apply) {
  showError('');
  if (anonymous()) { setDraft(apply(clone(getDraft()))); render(); return; }
  const roundId = state.round.id;
  state.ballot = apply(clone(myBallot()));
  votePending += 1;
  render();
  live.submit(event, { round_id: roundId, ...payload }, (resp) => {
    votePending = Math.max(0, votePending - 1);
    if (resp && resp.ok) {
      // Taps still on their way were counted from the screen; only the last answer is the whole ballot.
      if (votePending === 0 && state.round && state.round.id === roundId) { state.ballot = resp.ballot; render(); }
    } else if (resp) { showError(resp.error.message); live.sync(); }
  });
}

// The "Submit my vote" block of an anonymous round; ``ballot()`` gives what to send, or null
// while there is nothing to send yet.
function anonymousSubmit(ballot) {
  const button = h('button', { type: 'button', class: 'primary big', id: 'submit-vote' }, T.submitVote);
  const box = h('div', { class: 'anon-submit' }, h('p', { class: 'hint' }, T.anonHelp), button);
  const update = () => {
    const busy = submitting === state.round.id;
    button.disabled = busy || ballot() === null;
    button.textContent = busy ? T.sending : T.submitVote;
  };
  button.addEventListener('click', () => {
    const content = ballot();
    if (content === null || submitting) return;
    const roundId = state.round.id;
    submitting = roundId;
    update();
    showError('');
    live.submit('submit_ballot', { round_id: roundId, ballot: content }, (resp) => {
      submitting = null;
      if (!state.round || state.round.id !== roundId) return;
      if (resp && (resp.ok || (resp.error && resp.error.code === 'already_voted'))) {
        state.voted = true;
        clearDraft();
        if (!resp.ok) showError(resp.error.message);
      } else if (resp) {
        showError(resp.error.message);
      }
      render();
    });
  });
  update();
  return { box, update };
}

function nonZero(ballot) {
  const out = {};
  for (const [k, v] of Object.entries(ballot)) if (v) out[k] = v;
  return Object.keys(out).length ? out : null;
}

// --- drawing -------------------------------------------------------------------------------

function viewKey() {
  const r = state.round;
  if (!r) return 'none';
  const me = state.me || {};
  const parts = [r.id, r.kind, r.state];
  if (r.state !== 'open') return parts.join('|');
  if (isVote(r)) parts.push(anonymous() ? `anon:${Boolean(state.voted)}` : 'named', me.group_id, state.options.map((o) => `${o.id}:${o.title}`).join(','));
  if (r.kind === 'worksheet') parts.push(me.group_id, (state.worksheets || []).map((s) => `${s.id}:${s.group_id}`).join(','));
  if (r.kind === 'comment') parts.push(JSON.stringify(r.settings.items || []));
  if (r.kind === 'brainstorm') parts.push(me.group_id);
  return parts.join('|');
}

function render() {
  if (ended) return;
  if (!state) return;
  renderHeader();
  const key = viewKey();
  if (key === view && refresh) { refresh(); return; }
  const newRound = !view || view.split('|')[0] !== key.split('|')[0];
  view = key;
  refresh = null;
  worksheetHandlers = [];
  const focus = focusedControl();
  stage.replaceChildren();
  try {
    renderRound(state.round);
  } finally {
    restoreFocus(focus);
  }
  // A new round starts at its title, not wherever the last one was scrolled to.
  if (newRound) window.scrollTo(0, 0);
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

// The focused button of an idea (e.g. its "+"), so a redraw can put the focus back on it.
function focusedControl() {
  const el = document.activeElement;
  if (!el || !stage.contains(el)) return null;
  const item = el.closest('[data-idea-id]');
  const kind = ['plus', 'minus', 'up', 'down'].find((c) => el.classList.contains(c));
  return item && kind ? { id: item.dataset.ideaId, kind } : null;
}

function restoreFocus(focus) {
  if (!focus) return;
  const btn = stage.querySelector(`[data-idea-id="${focus.id}"] .${focus.kind}`);
  if (btn && !btn.disabled) btn.focus({ preventScroll: true });
}

function renderRound(round) {
  if (!round) { stage.append(h('p', { class: 'waiting' }, T.waiting)); return; }
  stage.append(h('h1', { class: 'round-title' }, round.title));
  if (round.state !== 'open') {
    stage.append(h('p', { class: 'muted' }, T.closed));
    renderResults();
    return;
  }
  const me = state.me || {};
  if (round.settings && round.settings.per_group && (isVote(round) || round.kind === 'brainstorm')) {
    if (!me.group) {
      stage.append(h('p', { class: 'group-note warn', id: 'group-note' }, T.noGroup));
      if (isVote(round)) return;
    } else {
      stage.append(h('p', { class: 'group-note', id: 'group-note' }, isVote(round) ? T.groupRound(me.group) : T.groupIdeas(me.group)));
    }
  }
  if (isVote(round) && anonymous() && state.voted) {
    stage.append(h('div', { class: 'voted-note', id: 'vote-in', role: 'status' }, h('strong', {}, T.voteIn), h('p', {}, T.voteInMore)));
    return;
  }
  const draw = {
    brainstorm: renderBrainstorm, dot_vote: renderDots, rank: renderRank, score: renderStars, points: renderPoints,
    pairwise: renderPairwise, impact_effort: renderImpactEffort, comment: renderComments, worksheet: renderWorksheets,
  }[round.kind];
  if (draw) draw();
}

function renderResults() {
  const round = state.round;
  if (!state.tally) {
    if (isVote(round)) stage.append(h('p', {}, T.notRevealed));
    else if (round.kind !== 'brainstorm') stage.append(h('p', {}, T.thanks));
    return;
  }
  const tally = state.tally;
  stage.append(h('h2', {}, T.results));
  stage.append(h('ol', { class: 'results' }, tally.standings.map((s) => {
    const extra = s.extra || {};
    const detail = [extra.group, extra.quadrant ? T.quadrants[extra.quadrant] : null].filter(Boolean).join(' · ');
    return h('li', { class: s.tied ? 'tied' : '' },
      h('span', { class: 'rank' }, rankLabel(s)),
      h('span', { class: 'name' }, h('span', { class: 'title' }, s.title), detail ? h('span', { class: 'detail muted' }, detail) : null),
      h('span', { class: 'score' }, scoreText(tally.method, s)));
  })));
  if (tally.method_card) stage.append(h('p', { class: 'method-card', id: 'method-card' }, h('strong', {}, T.howCounted), ' ', tally.method_card));
}

function counter(input, max) {
  const c = h('span', { class: 'counter' }, T.chars(input.value.length, max));
  input.addEventListener('input', () => {
    c.textContent = T.chars(input.value.length, max);
    c.classList.toggle('over', input.value.length > max);
  });
  return c;
}

// --- brainstorm ------------------------------------------------------------------------------

function renderBrainstorm() {
  const title = h('input', { id: 'idea-title', name: 'title', maxlength: 120, required: true, autocomplete: 'off', enterkeyhint: 'send' });
  const details = h('textarea', { id: 'idea-details', name: 'details', maxlength: 1000, rows: 3 });
  const form = h('form', { class: 'idea-form', novalidate: true },
    h('label', { for: 'idea-title' }, T.yourIdea), title, counter(title, 120),
    h('label', { for: 'idea-details' }, T.details), details, counter(details, 1000),
    h('button', { type: 'submit', class: 'primary big' }, T.send));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showError('');
    const roundId = state.round.id;
    live.submit('submit_idea', { round_id: roundId, title: title.value, details: details.value }, (resp) => {
      if (resp && resp.ok) {
        myIdeaIds.add(resp.idea.id);
        if (state.round && state.round.id === roundId && !state.ideas.some((i) => i.id === resp.idea.id)) state.ideas.push(resp.idea);
        setStatus('saved');
        statusEl.textContent = T.sent;
        render();
      } else if (resp) {
        showError(resp.error.message);
      }
    });
    // Clear at once: the text is safe in the outbox until the server has it.
    title.value = ''; details.value = '';
    title.dispatchEvent(new Event('input'));
    details.dispatchEvent(new Event('input'));
  });
  stage.append(form);
  stage.append(h('h2', {}, T.ideasSoFar));
  stage.append(h('div', { id: 'idea-list' }));
  renderIdeaList();
  refresh = renderIdeaList; // same brainstorm: redraw only the list, so a half-written idea keeps its text and focus
}

function renderIdeaList() {
  const box = document.getElementById('idea-list');
  if (!box) return;
  const ideas = [...state.ideas].reverse();
  box.replaceChildren(ideas.length
    ? h('ul', { class: 'ideas', id: 'ideas' }, ideas.map((i) => h('li', { class: myIdeaIds.has(i.id) ? 'mine' : '' },
        h('div', {}, h('strong', {}, i.title), i.details ? h('p', {}, i.details) : null,
          i.author ? h('span', { class: 'muted' }, i.author) : null))))
    : h('p', { class: 'muted' }, T.noIdeas));
}

// --- dot vote -------------------------------------------------------------------------------

function renderDots() {
  const { budget, cap } = state.round.settings;
  const ballot = myBallot();
  const used = Object.values(ballot).reduce((a, b) => a + b, 0);
  stage.append(h('p', { class: 'dots-left', id: 'dots-left' }, T.dotsLeft(budget - used, budget), ' · ', T.perIdea(cap)));
  const list = h('ul', { class: 'vote-list', id: 'vote-list' });
  for (const idea of state.options) {
    const key = String(idea.id);
    const mine = ballot[key] || 0;
    const pips = h('span', { class: 'pips', 'aria-hidden': 'true' }, Array.from({ length: cap }, (_, k) => h('span', { class: k < mine ? 'pip on' : 'pip' })));
    const set = (delta) => {
      const count = mine + delta;
      change('cast_dots', { idea_id: idea.id, count }, (b) => {
        if (count) b[key] = count; else delete b[key];
        return b;
      });
    };
    list.append(h('li', { dataset: { ideaId: idea.id }, class: mine ? 'has-dots' : '' },
      h('span', { class: 'title' }, idea.title),
      h('span', { class: 'dot-controls' },
        h('button', { type: 'button', class: 'round-btn minus', 'aria-label': `${T.remove} ${idea.title}`, disabled: mine === 0, onclick: () => set(-1) }, '−'),
        pips, h('span', { class: 'count', 'aria-live': 'polite' }, String(mine)),
        h('button', { type: 'button', class: 'round-btn plus', 'aria-label': `${T.add} ${idea.title}`, disabled: mine >= cap || used >= budget, onclick: () => set(1) }, '+'))));
  }
  stage.append(list);
  if (anonymous()) stage.append(anonymousSubmit(() => nonZero(myBallot())).box);
}

// --- ranking --------------------------------------------------------------------------------

function shuffledFor(ids, seed) {
  // A different first order per participant, so the list's order does not sway the room.
  const out = [...ids];
  let x = seed * 2654435761 % 4294967296 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function renderRank() {
  const anon = anonymous();
  const byId = new Map(state.options.map((o) => [o.id, o]));
  if (rankingOrder && (rankingOrder.length !== byId.size || !rankingOrder.every((id) => byId.has(id)))) {
    rankingOrder = null; // the ideas to rank changed (one was hidden): start from the saved order
    rankingDirty = false;
  }
  if (!rankingOrder) {
    const saved = (myBallot() || []).filter((id) => byId.has(id));
    rankingOrder = saved.length === byId.size ? saved : shuffledFor([...byId.keys()], state.me ? state.me.id : 1);
  }
  const moved = () => {
    rankingDirty = true;
    if (anon) setDraft([...rankingOrder]);
  };
  const method = (state.round.settings || {}).method || 'borda';
  stage.append(h('p', { class: 'hint' }, T.rankHelp, ' ', h('span', { class: 'method-name', id: 'rank-method' }, T.countedWith(RANK_METHODS[lang][method] || method))));
  const list = h('ol', { class: 'rank-list', id: 'rank-list' });
  rankingOrder.forEach((id, index) => {
    const idea = byId.get(id);
    const move = (delta) => {
      const j = index + delta;
      if (j < 0 || j >= rankingOrder.length) return;
      [rankingOrder[index], rankingOrder[j]] = [rankingOrder[j], rankingOrder[index]];
      moved();
      render();
      const btn = document.querySelector(`#rank-list li[data-idea-id="${id}"] .${delta < 0 ? 'up' : 'down'}`);
      if (btn && !btn.disabled) btn.focus();
    };
    list.append(h('li', { dataset: { ideaId: id } },
      h('span', { class: 'handle', 'aria-hidden': 'true' }),
      h('span', { class: 'pos' }, String(index + 1)),
      h('span', { class: 'title' }, idea.title),
      h('button', { type: 'button', class: 'round-btn up', 'aria-label': `${T.up}: ${idea.title}`, disabled: index === 0, onclick: () => move(-1) }, '↑'),
      h('button', { type: 'button', class: 'round-btn down', 'aria-label': `${T.down}: ${idea.title}`, disabled: index === rankingOrder.length - 1, onclick: () => move(1) }, '↓')));
  });
  stage.append(list);
  if (window.Sortable) {
    window.Sortable.create(list, {
      handle: '.handle', animation: 150,
      onEnd: () => {
        rankingOrder = [...list.children].map((li) => Number(li.dataset.ideaId));
        moved();
        render();
      },
    });
  }
  if (anon) {
    stage.append(anonymousSubmit(() => [...rankingOrder]).box);
    return;
  }
  const saved = Array.isArray(state.ballot) && state.ballot.length === rankingOrder.length && !rankingDirty;
  const button = h('button', { type: 'button', class: 'primary big', id: 'submit-ranking' }, T.submitRanking);
  button.addEventListener('click', () => {
    showError('');
    const roundId = state.round.id;
    const order = [...rankingOrder];
    live.submit('submit_ranking', { round_id: roundId, order }, (resp) => {
      if (resp && resp.ok) {
        if (state.round && state.round.id === roundId) { state.ballot = resp.ballot; rankingDirty = false; render(); }
      } else if (resp) { showError(resp.error.message); }
    });
  });
  stage.append(button);
  if (saved) stage.append(h('p', { class: 'saved-note', id: 'ranking-saved' }, T.rankingSaved));
}

// --- stars (score) ----------------------------------------------------------------------------

function scaleOf(settings) {
  const lo = Number(settings.scale_min ?? 1);
  const hi = Number(settings.scale_max ?? 5);
  return Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
}

function renderStars() {
  const settings = state.round.settings;
  const values = scaleOf(settings);
  const hi = values[values.length - 1];
  stage.append(h('p', { class: 'hint' }, T.starsHelp(values[0], hi)));
  const list = h('ul', { class: 'vote-list rate-list', id: 'vote-list' });
  const rows = [];
  for (const idea of state.options) {
    const key = String(idea.id);
    const titleId = `idea-${idea.id}-title`;
    const rate = (v) => {
      const value = myBallot()[key] === v ? null : v;
      change('rate_idea', { idea_id: idea.id, value }, (b) => {
        if (value === null) delete b[key]; else b[key] = value;
        return b;
      });
    };
    const buttons = values.map((v) => h('button', {
      type: 'button', class: 'star-btn', dataset: { value: v }, 'aria-pressed': 'false', 'aria-label': T.rate(v, hi), onclick: () => rate(v),
    }, h('span', { class: 'star', 'aria-hidden': 'true' }, '★'), h('span', { class: 'num', 'aria-hidden': 'true' }, String(v))));
    const li = h('li', { dataset: { ideaId: idea.id } },
      h('span', { class: 'title', id: titleId }, idea.title),
      h('div', { class: 'stars', role: 'group', 'aria-labelledby': titleId }, buttons));
    rows.push({ key, li, buttons });
    list.append(li);
  }
  stage.append(list);
  const submit = anonymous() ? anonymousSubmit(() => (Object.keys(myBallot()).length ? myBallot() : null)) : null;
  if (submit) stage.append(submit.box);
  refresh = () => {
    const ballot = myBallot();
    for (const { key, li, buttons } of rows) {
      const value = ballot[key];
      li.classList.toggle('rated', value !== undefined);
      for (const btn of buttons) {
        const v = Number(btn.dataset.value);
        btn.setAttribute('aria-pressed', String(value === v));
        btn.classList.toggle('on', value !== undefined && v <= value);
      }
    }
    if (submit) submit.update();
  };
  refresh();
}

// --- points ---------------------------------------------------------------------------------

function renderPoints() {
  const budget = Number(state.round.settings.budget || 100);
  const moving = {}; // idea id -> points on screen not yet sent (a slider being dragged)
  const valueOf = (ballot, key) => (key in moving ? moving[key] : Number(ballot[key] || 0));
  const left = h('p', { class: 'points-left', id: 'points-left', 'aria-live': 'polite' });
  stage.append(h('p', { class: 'hint' }, T.pointsHelp(budget)), left);
  const list = h('ul', { class: 'vote-list points-list', id: 'vote-list' });
  const rows = [];
  const othersSum = (key) => {
    const ballot = myBallot();
    return state.options.reduce((sum, o) => (String(o.id) === key ? sum : sum + valueOf(ballot, String(o.id))), 0);
  };
  const showLeft = () => {
    const ballot = myBallot();
    const used = state.options.reduce((sum, o) => sum + valueOf(ballot, String(o.id)), 0);
    left.textContent = T.pointsLeft(budget - used, budget);
    left.classList.toggle('none-left', used >= budget);
  };
  for (const idea of state.options) {
    const key = String(idea.id);
    const label = T.pointsFor(idea.title);
    const range = h('input', { type: 'range', min: 0, max: budget, step: 1, id: `points-range-${idea.id}`, class: 'points-range', 'aria-label': label });
    const number = h('input', { type: 'number', min: 0, max: budget, step: 1, inputmode: 'numeric', id: `points-${idea.id}`, class: 'points-number', 'aria-label': label });
    const clampTo = (raw) => Math.max(0, Math.min(Math.round(Number(raw) || 0), budget - othersSum(key)));
    const onInput = (source) => {
      if (source.value === '') return; // typing: wait for a number
      const v = clampTo(source.value);
      moving[key] = v;
      if (Number(range.value) !== v) range.value = String(v);
      if (source !== number || Number(number.value) !== v) number.value = String(v);
      showLeft();
    };
    const commit = () => {
      const v = key in moving ? moving[key] : clampTo(number.value);
      delete moving[key];
      if (v === Number(myBallot()[key] || 0)) { refresh(); return; }
      change('allocate_points', { idea_id: idea.id, points: v }, (b) => {
        if (v) b[key] = v; else delete b[key];
        return b;
      });
    };
    range.addEventListener('input', () => onInput(range));
    range.addEventListener('change', commit);
    number.addEventListener('input', () => onInput(number));
    number.addEventListener('change', commit);
    const li = h('li', { dataset: { ideaId: idea.id } }, h('span', { class: 'title' }, idea.title), h('div', { class: 'points-row' }, range, number));
    rows.push({ key, li, range, number });
    list.append(li);
  }
  stage.append(list);
  const submit = anonymous() ? anonymousSubmit(() => nonZero(myBallot())) : null;
  if (submit) stage.append(submit.box);
  refresh = () => {
    const ballot = myBallot();
    for (const { key, li, range, number } of rows) {
      const v = valueOf(ballot, key);
      li.classList.toggle('has-points', v > 0);
      // Leave alone the field the participant is changing right now.
      if (document.activeElement !== range && !(key in moving)) range.value = String(v);
      if (document.activeElement !== number && !(key in moving)) number.value = String(v);
    }
    showLeft();
    if (submit) submit.update();
  };
  refresh();
}

// --- pairwise --------------------------------------------------------------------------------

function samePair(a, b) { return (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]); }

function renderPairwise() {
  const anon = anonymous();
  const byId = new Map(state.options.map((o) => [o.id, o]));
  let waiting = false;
  let focusNext = false; // the answer came from the keyboard: focus the next pair when it is shown
  stage.append(h('p', { class: 'hint' }, T.pairHelp));
  const progress = h('p', { class: 'pair-progress', id: 'pair-progress', 'aria-live': 'polite' });
  const box = h('div', { class: 'pair', id: 'pair' });
  stage.append(progress, box);
  const submit = anon ? anonymousSubmit(() => (getDraft().comparisons.length ? { comparisons: getDraft().comparisons } : null)) : null;
  if (submit) stage.append(submit.box);

  const remaining = () => {
    const ballot = myBallot();
    const done = [...(ballot.comparisons || []), ...(ballot.skipped || [])];
    return (state.pairs || []).filter((p) => byId.has(p[0]) && byId.has(p[1]) && !done.some((d) => samePair(d, p)));
  };
  const answer = (pair, payload, apply) => {
    showError('');
    focusNext = box.contains(document.activeElement);
    if (anon) { setDraft(apply(clone(getDraft()))); draw(); return; }
    const roundId = state.round.id;
    waiting = true;
    draw();
    live.submit('compare_pair', { round_id: roundId, ...payload }, (resp) => {
      waiting = false;
      if (!state.round || state.round.id !== roundId) return;
      if (resp && resp.ok) {
        state.ballot = resp.ballot;
        state.pairs = (state.pairs || []).filter((p) => !samePair(p, pair));
      } else if (resp) { showError(resp.error.message); live.sync(); }
      draw();
    });
  };
  const pick = (pair, winner, loser) => answer(pair, { winner, loser }, (b) => {
    b.comparisons = b.comparisons.filter((c) => !samePair(c, pair)).concat([[winner, loser]]);
    return b;
  });
  const skip = (pair) => answer(pair, { skip: true, pair }, (b) => {
    b.skipped = (b.skipped || []).concat([[...pair].sort((x, y) => x - y)]);
    return b;
  });

  function draw() {
    const hadFocus = box.contains(document.activeElement);
    const ballot = myBallot();
    progress.textContent = T.compared((ballot.comparisons || []).length);
    const next = remaining()[0];
    if (!next) {
      // A phone gets a batch of pairs at a time: ask once for more before saying it is done.
      if (!anon && !pairsAsked && !waiting) { pairsAsked = true; live.sync(); }
      box.replaceChildren(h('p', { class: 'saved-note', id: 'pairs-done' }, T.pairsDone));
    } else {
      const [a, b] = next;
      const card = (winner, loser) => h('button', {
        type: 'button', class: 'pair-card', dataset: { ideaId: winner }, disabled: waiting, onclick: () => pick(next, winner, loser),
      }, byId.get(winner).title);
      box.replaceChildren(
        card(a, b), h('span', { class: 'pair-or', 'aria-hidden': 'true' }, T.or), card(b, a),
        h('button', { type: 'button', class: 'pair-skip', id: 'pair-skip', disabled: waiting, onclick: () => skip(next) }, T.skip));
      // Keyboard and screen-reader users go straight on to the next pair.
      if ((hadFocus || focusNext) && !waiting) { focusNext = false; box.querySelector('.pair-card').focus({ preventScroll: true }); }
    }
    if (submit) submit.update();
  }
  refresh = draw;
  draw();
}

// --- impact / effort ----------------------------------------------------------------------------

function renderImpactEffort() {
  const values = scaleOf(state.round.settings);
  const picks = {}; // idea id -> {impact, effort} while only one of the two is chosen
  stage.append(h('p', { class: 'hint' }, T.ieHelp(values[0], values[values.length - 1])));
  const list = h('ul', { class: 'vote-list ie-list', id: 'vote-list' });
  const rows = [];
  const current = (key) => {
    if (picks[key]) return picks[key];
    const saved = myBallot()[key];
    return saved ? { impact: saved[0], effort: saved[1] } : { impact: null, effort: null };
  };
  for (const idea of state.options) {
    const key = String(idea.id);
    const titleId = `idea-${idea.id}-title`;
    const tap = (axis, v) => {
      const now = current(key);
      const next = { ...now, [axis]: now[axis] === v ? null : v };
      const saved = myBallot()[key];
      if (next.impact !== null && next.effort !== null) {
        delete picks[key];
        change('rate_impact_effort', { idea_id: idea.id, impact: next.impact, effort: next.effort }, (b) => { b[key] = [next.impact, next.effort]; return b; });
        return;
      }
      picks[key] = next;
      if (saved) change('rate_impact_effort', { idea_id: idea.id, impact: null, effort: null }, (b) => { delete b[key]; return b; });
      else refresh();
    };
    const axisRow = (axis, label) => {
      const labelId = `idea-${idea.id}-${axis}`;
      const buttons = values.map((v) => h('button', {
        type: 'button', class: 'scale-btn', dataset: { value: v }, 'aria-pressed': 'false', onclick: () => tap(axis, v),
      }, String(v)));
      return { axis, buttons, el: h('div', { class: `ie-row ie-${axis}`, role: 'group', 'aria-labelledby': `${titleId} ${labelId}` },
        h('span', { class: 'ie-label', id: labelId }, label), h('span', { class: 'scale' }, buttons)) };
    };
    const impact = axisRow('impact', T.impact);
    const effort = axisRow('effort', T.effort);
    const note = h('span', { class: 'ie-note', 'aria-live': 'polite' });
    const li = h('li', { dataset: { ideaId: idea.id } }, h('span', { class: 'title', id: titleId }, idea.title), impact.el, effort.el, note);
    rows.push({ key, li, axes: [impact, effort], note });
    list.append(li);
  }
  stage.append(list);
  const submit = anonymous() ? anonymousSubmit(() => (Object.keys(myBallot()).length ? myBallot() : null)) : null;
  if (submit) stage.append(submit.box);
  refresh = () => {
    for (const { key, li, axes, note } of rows) {
      const now = current(key);
      for (const { axis, buttons } of axes) {
        for (const btn of buttons) btn.setAttribute('aria-pressed', String(now[axis] === Number(btn.dataset.value)));
      }
      const complete = now.impact !== null && now.effort !== null;
      li.classList.toggle('rated', complete);
      note.textContent = complete ? T.ieDone : now.impact !== null ? T.ieNeedEffort : now.effort !== null ? T.ieNeedImpact : '';
    }
    if (submit) submit.update();
  };
  refresh();
}

// --- comments ------------------------------------------------------------------------------

function renderComments() {
  const items = state.round.settings.items || [];
  stage.append(h('p', { class: 'hint' }, T.commentHelp));
  const lists = [];
  items.forEach((text, index) => {
    const list = h('ul', { class: 'comments', id: `comments-${index}` });
    const count = h('span', { class: 'badge comment-count' });
    const area = h('textarea', { id: `comment-${index}`, rows: 2, maxlength: 1000, name: 'text' });
    const form = h('form', { class: 'comment-form', novalidate: true },
      h('label', { for: `comment-${index}`, class: 'visually-hidden' }, T.yourComment(index + 1)), area,
      h('button', { type: 'submit', class: 'primary' }, T.addComment));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      showError('');
      const roundId = state.round.id;
      const value = area.value;
      live.submit('submit_comment', { round_id: roundId, item_index: index, text: value }, (resp) => {
        if (resp && resp.ok) {
          myCommentIds.add(resp.comment.id);
          statusEl.textContent = T.commentSent;
          commentChanged(resp.comment);
        } else if (resp) {
          showError(resp.error.message);
          if (!area.value) area.value = value; // give the text back to fix it
        }
      });
      area.value = '';
    });
    lists.push({ index, list, count });
    stage.append(h('section', { class: 'comment-item', dataset: { item: index } },
      h('h2', {}, h('span', { class: 'item-no' }, `${index + 1}.`), ' ', text, ' ', count), list, form));
  });
  refresh = () => {
    for (const { index, list, count } of lists) {
      const mine = (state.comments || []).filter((c) => c.item_index === index);
      count.textContent = T.commentCount(mine.length);
      list.replaceChildren(...(mine.length ? mine.map((c) => h('li', { class: [c.starred ? 'starred' : '', myCommentIds.has(c.id) ? 'mine' : ''].join(' ').trim(), dataset: { commentId: c.id } },
        c.starred ? h('span', { class: 'star-mark', title: T.starred }, '★ ', h('span', { class: 'visually-hidden' }, T.starred)) : null,
        h('span', { class: 'comment-text' }, c.text),
        [c.author, c.group].filter(Boolean).length ? h('span', { class: 'muted by' }, [c.author, c.group].filter(Boolean).join(' · ')) : null))
        : [h('li', { class: 'muted empty' }, T.noComments)]));
    }
  };
  refresh();
}

// --- worksheets -------------------------------------------------------------------------------

function renderWorksheets() {
  const me = state.me || {};
  const sheets = state.worksheets || [];
  const mine = (s) => s.group_id === null || s.group_id === me.group_id;
  const send = (event, payload, cb) => live.request(event, payload).then(cb);
  const labels = T.wsLabels;
  stage.append(h('p', { class: 'hint' }, T.sheetsHelp));
  if (!sheets.length) { stage.append(h('p', { class: 'muted' }, T.noSheets)); return; }
  const own = sheets.filter(mine);
  const others = sheets.filter((s) => !mine(s));
  if (own.length) {
    const box = h('div', { class: 'worksheets', id: 'my-worksheets' });
    stage.append(h('h2', {}, T.yourSheets), box);
    worksheetHandlers.push(mountWorksheets(box, own, { send, canEdit: () => true, labels }));
  }
  if (others.length) {
    // Folded away: the group's own sheets come first, the others can be opened to read.
    const box = h('div', { class: 'worksheets read-only', id: 'other-worksheets' });
    stage.append(h('details', { class: 'other-sheets', open: !own.length }, h('summary', {}, T.otherSheets, ` (${others.length})`), box));
    worksheetHandlers.push(mountWorksheets(box, others, { send, canEdit: () => false, labels }));
  }
  // A new state (after a reconnect) brings texts saved meanwhile.
  refresh = () => {
    for (const sheet of state.worksheets || []) {
      for (const f of sheet.fields) {
        worksheetHandlers.forEach((fn) => fn({ worksheet_id: sheet.id, key: f.key, text: f.text, version: f.version, updated_by: f.updated_by }));
      }
    }
  };
}
