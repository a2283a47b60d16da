// The facilitator's console: rounds with open/close/reveal, the live idea list and tally.
import { connect, formatScore, h, rankLabel } from './live.js';

const root = document.getElementById('console');
const code = root.dataset.code;
const errorEl = document.getElementById('console-error');
const connEl = document.getElementById('connection');
const urls = JSON.parse(document.getElementById('console-urls').textContent);
let state = JSON.parse(document.getElementById('initial-state').textContent);

function showError(message) { errorEl.textContent = message || ''; errorEl.hidden = !message; }

const live = connect('/facilitator', code, {
  onState: (s) => { state = s; render(); },
  onStatus: (kind, text) => { connEl.textContent = kind === 'error' ? text : kind === 'offline' ? 'offline' : 'live'; connEl.dataset.kind = kind; },
  on: {
    round_state: (s) => { state = s; render(); },
    idea_added: (idea) => { if (state.round && idea.round_id === state.round.id && !state.ideas.some((i) => i.id === idea.id)) { state.ideas.push(idea); render(); } },
    idea_updated: (idea) => { state.ideas = state.ideas.map((i) => (i.id === idea.id ? idea : i)); render(); },
    tally: (tally) => { if (state.round && tally.round_id === state.round.id) { state.tally = tally; state.voters = tally.voters; render(); } },
    presence: (p) => { state.participants = p.participants; document.getElementById('participant-count').textContent = p.participants; },
  },
});

async function act(event, payload) {
  showError('');
  const resp = await live.request(event, payload);
  if (!resp || !resp.ok) showError(resp ? resp.error.message : 'No answer from the server.');
  return resp;
}

function roundItem(r) {
  const buttons = [];
  if (r.state === 'open') buttons.push(h('button', { type: 'button', onclick: () => act('close_round', { round_id: r.id }) }, 'Close'));
  else if (r.state === 'closed') buttons.push(h('button', { type: 'button', onclick: () => act('open_round', { round_id: r.id }) }, 'Reopen'));
  else buttons.push(h('button', { type: 'button', class: 'primary', onclick: () => act('open_round', { round_id: r.id }) }, 'Open'));
  if (r.kind !== 'brainstorm') {
    buttons.push(h('button', { type: 'button', onclick: () => act('reveal_results', { round_id: r.id, revealed: !r.results_revealed }) },
      r.results_revealed ? 'Hide results' : 'Reveal results'));
  }
  if (r.state === 'closed' && r.kind !== 'brainstorm') {
    buttons.push(h('a', { href: urls.round_csv.replace('/rounds/0/', `/rounds/${r.id}/`) }, 'CSV'));
    buttons.push(h('a', { href: urls.round_json.replace('/rounds/0/', `/rounds/${r.id}/`) }, 'JSON'));
  }
  return h('li', { class: `round state-${r.state}`, dataset: { roundId: r.id } },
    h('div', { class: 'round-title' }, h('strong', {}, r.title), ' ', h('span', { class: 'badge' }, r.kind_label), ' ',
      h('span', { class: 'badge state' }, r.state), r.kind !== 'brainstorm' && !r.results_revealed ? h('span', { class: 'badge' }, 'results hidden') : null),
    h('div', { class: 'round-actions' }, buttons));
}

function render() {
  document.getElementById('participant-count').textContent = state.participants;
  const rounds = document.getElementById('rounds');
  rounds.replaceChildren(...(state.rounds || []).map(roundItem));
  const round = state.round;
  document.getElementById('live-title').textContent = round ? `${round.title} (${round.state})` : 'Nothing open';
  const meta = document.getElementById('live-meta');
  const tallyEl = document.getElementById('live-tally');
  const ideasEl = document.getElementById('live-ideas');
  tallyEl.replaceChildren();
  ideasEl.replaceChildren();
  if (!round) { meta.textContent = 'Open a round to start.'; return; }
  if (round.kind === 'brainstorm') {
    const visible = state.ideas.filter((i) => !i.hidden).length;
    meta.textContent = `${visible} ideas${state.ideas.length > visible ? `, ${state.ideas.length - visible} hidden` : ''}`;
    for (const idea of [...state.ideas].reverse()) {
      ideasEl.append(h('li', { class: idea.hidden ? 'hidden-idea' : '', dataset: { ideaId: idea.id } },
        h('div', {}, h('strong', {}, idea.title), idea.details ? h('p', {}, idea.details) : null,
          h('span', { class: 'muted' }, [idea.author, idea.organisation].filter(Boolean).join(' · '))),
        h('button', { type: 'button', class: 'small', onclick: () => act('hide_idea', { idea_id: idea.id, hidden: !idea.hidden }) }, idea.hidden ? 'Show' : 'Hide')));
    }
    return;
  }
  meta.textContent = `${state.voters || 0} of ${state.participants} have voted`;
  const tally = state.tally;
  if (!tally) return;
  const max = Math.max(1, ...tally.standings.map((s) => s.score));
  for (const s of tally.standings) {
    tallyEl.append(h('div', { class: 'bar-row' },
      h('span', { class: 'rank' }, rankLabel(s)), h('span', { class: 'title' }, s.title),
      h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${(100 * s.score) / max}%` })),
      h('span', { class: 'score' }, formatScore(s.score))));
  }
}

// Show only the settings that belong to the chosen kind of round.
const kindSelect = document.querySelector('#round-form select[name="kind"]');
function syncKind() {
  for (const el of document.querySelectorAll('#round-form [data-for-kinds]')) {
    el.hidden = !el.dataset.forKinds.split(' ').includes(kindSelect.value);
  }
}
if (kindSelect) { kindSelect.addEventListener('change', syncKind); syncKind(); }
render();
