// The participant's phone: draws the current round and sends ideas and votes.
import { connect, formatScore, h, rankLabel, withIdea } from './live.js';

const root = document.getElementById('phone');
const stage = document.getElementById('stage');
const statusEl = document.getElementById('status');
const errorEl = document.getElementById('error');
const code = root.dataset.code;
const lang = root.dataset.lang === 'nb' ? 'nb' : 'en';

const T = {
  en: {
    waiting: 'Waiting for the facilitator to start a round…', yourIdea: 'Your idea', details: 'Details (optional)',
    send: 'Send idea', ideasSoFar: 'Ideas so far', noIdeas: 'No ideas yet – be the first!', dotsLeft: (n, b) => `${n} of ${b} dots left`,
    add: 'Add a dot to', remove: 'Remove a dot from', up: 'Move up', down: 'Move down', submitRanking: 'Save my ranking',
    rankHelp: 'Drag the ideas into your order, or use the arrows. Most important first.', rankingSaved: 'Your ranking is saved. You can change it until the round closes.',
    closed: 'This round is closed.', results: 'Results', online: 'Connected', offline: (n) => n ? `Offline – ${n} unsent, will send when back` : 'Offline – reconnecting…',
    saving: 'Saving…', saved: 'Saved ✓', sent: 'Idea sent ✓', notRevealed: 'Results will be shown by the facilitator.', chars: (n, m) => `${n}/${m}`,
    perIdea: (c) => `at most ${c} on one idea`, mine: 'yours', voters: (n) => `${n} voted`,
  },
  nb: {
    waiting: 'Venter på at fasilitatoren starter en runde…', yourIdea: 'Din idé', details: 'Utdyping (valgfritt)',
    send: 'Send idé', ideasSoFar: 'Idéer så langt', noIdeas: 'Ingen idéer ennå – bli den første!', dotsLeft: (n, b) => `${n} av ${b} prikker igjen`,
    add: 'Legg en prikk på', remove: 'Fjern en prikk fra', up: 'Flytt opp', down: 'Flytt ned', submitRanking: 'Lagre rangeringen min',
    rankHelp: 'Dra idéene i den rekkefølgen du vil, eller bruk pilene. Viktigst først.', rankingSaved: 'Rangeringen din er lagret. Du kan endre den til runden lukkes.',
    closed: 'Denne runden er lukket.', results: 'Resultat', online: 'Tilkoblet', offline: (n) => n ? `Frakoblet – ${n} ikke sendt, sendes når nettet er tilbake` : 'Frakoblet – kobler til igjen…',
    saving: 'Lagrer…', saved: 'Lagret ✓', sent: 'Idé sendt ✓', notRevealed: 'Fasilitatoren viser resultatet senere.', chars: (n, m) => `${n}/${m}`,
    perIdea: (c) => `maks ${c} på én idé`, mine: 'din', voters: (n) => `${n} har stemt`,
  },
}[lang];

let state = null;
let myIdeaIds = new Set();
let rankingOrder = null; // the order on screen in a rank round (may differ from the saved ballot)
let rankingDirty = false;
let dotsPending = 0; // dot changes sent but not yet answered: the screen shows them already
let view = null; // which round (and state) the stage was last built for

function showError(message) {
  errorEl.textContent = message;
  errorEl.hidden = !message;
}

function setStatus(kind, arg) {
  statusEl.dataset.kind = kind;
  statusEl.textContent = kind === 'offline' ? T.offline(arg) : kind === 'error' ? arg : kind === 'online' ? T.online : kind === 'saving' ? T.saving : T.saved;
}

const live = connect('/participant', code, {
  onState: (s) => {
    // A new state of the same round keeps an unsaved ranking the participant is arranging.
    const sameRound = state && state.round && s.round && state.round.id === s.round.id;
    if (!sameRound || !rankingDirty) { rankingOrder = null; rankingDirty = false; }
    state = s;
    render();
  },
  onStatus: setStatus,
  on: {
    round_state: () => live.sync(),
    idea_added: (idea) => {
      if (!state || !state.round || idea.round_id !== state.round.id) return;
      if (!state.ideas.some((i) => i.id === idea.id)) state.ideas.push(idea);
      render();
    },
    idea_updated: (idea) => {
      if (!state || !state.round) return;
      // In a vote, hiding or showing an idea changes what can be voted on: fetch it all again.
      if (state.round.kind !== 'brainstorm') { live.sync(); return; }
      if (idea.round_id !== state.round.id) return;
      state.ideas = withIdea(state.ideas, idea);
      render();
    },
    ballot: (msg) => {
      if (!state || !state.round || msg.round_id !== state.round.id) return;
      if (state.round.kind === 'dot_vote' && dotsPending > 0) return; // the last answer brings it
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
  },
});

function render() {
  if (!state) return;
  const round = state.round;
  const key = round ? `${round.id}:${round.kind}:${round.state}` : 'none';
  if (key === view && round && round.kind === 'brainstorm' && round.state === 'open') {
    // Same brainstorm: redraw only the list, so a half-written idea keeps its text and focus.
    renderIdeaList();
    return;
  }
  const newRound = !view || view.split(':')[0] !== key.split(':')[0];
  view = key;
  const focus = focusedControl();
  stage.replaceChildren();
  try {
    renderRound(round);
  } finally {
    restoreFocus(focus);
  }
  // A new round starts at its title, not wherever the last one was scrolled to.
  if (newRound) window.scrollTo(0, 0);
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
  if (round.kind === 'brainstorm') renderBrainstorm();
  else if (round.kind === 'dot_vote') renderDots();
  else if (round.kind === 'rank') renderRank();
}

function renderResults() {
  if (!state.tally) {
    if (state.round.kind !== 'brainstorm') stage.append(h('p', {}, T.notRevealed));
    return;
  }
  stage.append(h('h2', {}, T.results));
  stage.append(h('ol', { class: 'results' }, state.tally.standings.map((s) => h('li', {},
    h('span', { class: 'rank' }, rankLabel(s)), h('span', { class: 'title' }, s.title), h('span', { class: 'score' }, formatScore(s.score))))));
}

function counter(input, max) {
  const c = h('span', { class: 'counter' }, T.chars(input.value.length, max));
  input.addEventListener('input', () => {
    c.textContent = T.chars(input.value.length, max);
    c.classList.toggle('over', input.value.length > max);
  });
  return c;
}

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

function renderDots() {
  const { budget, cap } = state.round.settings;
  const ballot = state.ballot || {};
  const used = Object.values(ballot).reduce((a, b) => a + b, 0);
  stage.append(h('p', { class: 'dots-left', id: 'dots-left' }, T.dotsLeft(budget - used, budget), ' · ', T.perIdea(cap)));
  const list = h('ul', { class: 'vote-list', id: 'vote-list' });
  for (const idea of state.options) {
    const mine = ballot[String(idea.id)] || 0;
    const pips = h('span', { class: 'pips', 'aria-hidden': 'true' }, Array.from({ length: cap }, (_, k) => h('span', { class: k < mine ? 'pip on' : 'pip' })));
    const change = (delta) => {
      showError('');
      const count = mine + delta;
      const roundId = state.round.id;
      // Optimistic: show it now, the server's answer (or the ballot event) corrects it.
      state.ballot = { ...ballot, [String(idea.id)]: count };
      if (count === 0) delete state.ballot[String(idea.id)];
      render();
      dotsPending += 1;
      live.submit('cast_dots', { round_id: roundId, idea_id: idea.id, count }, (resp) => {
        dotsPending = Math.max(0, dotsPending - 1);
        if (resp && resp.ok) {
          // Taps still on their way were counted from the screen; only the last answer is the whole ballot.
          if (dotsPending === 0 && state.round && state.round.id === roundId) { state.ballot = resp.ballot; render(); }
        } else if (resp) { showError(resp.error.message); live.sync(); }
      });
    };
    list.append(h('li', { dataset: { ideaId: idea.id }, class: mine ? 'has-dots' : '' },
      h('span', { class: 'title' }, idea.title),
      h('span', { class: 'dot-controls' },
        h('button', { type: 'button', class: 'round-btn minus', 'aria-label': `${T.remove} ${idea.title}`, disabled: mine === 0, onclick: () => change(-1) }, '−'),
        pips, h('span', { class: 'count', 'aria-live': 'polite' }, String(mine)),
        h('button', { type: 'button', class: 'round-btn plus', 'aria-label': `${T.add} ${idea.title}`, disabled: mine >= cap || used >= budget, onclick: () => change(1) }, '+'))));
  }
  stage.append(list);
}

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
  const byId = new Map(state.options.map((o) => [o.id, o]));
  if (rankingOrder && (rankingOrder.length !== byId.size || !rankingOrder.every((id) => byId.has(id)))) {
    rankingOrder = null; // the ideas to rank changed (one was hidden): start from the saved order
    rankingDirty = false;
  }
  if (!rankingOrder) {
    const saved = (state.ballot || []).filter((id) => byId.has(id));
    rankingOrder = saved.length === byId.size ? saved : shuffledFor([...byId.keys()], state.me ? state.me.id : 1);
  }
  stage.append(h('p', { class: 'hint' }, T.rankHelp));
  const list = h('ol', { class: 'rank-list', id: 'rank-list' });
  rankingOrder.forEach((id, index) => {
    const idea = byId.get(id);
    const move = (delta) => {
      const j = index + delta;
      if (j < 0 || j >= rankingOrder.length) return;
      [rankingOrder[index], rankingOrder[j]] = [rankingOrder[j], rankingOrder[index]];
      rankingDirty = true;
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
        rankingDirty = true;
        render();
      },
    });
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
