// The facilitator's console: rounds with open/close/reveal, the room (presence, agenda, timer),
// the live ideas with curation, the tally with its breakdowns, comments and worksheets.
import { connect, h, keepFocus, rankLabel, RANK_METHODS, scoreText, VOTING_KINDS } from './live.js';
import { Countdown, drawAgenda, nowNext } from './day.js';

const root = document.getElementById('console');
const code = root.dataset.code;
const errorEl = document.getElementById('console-error');
const connEl = document.getElementById('connection');
const urls = JSON.parse(document.getElementById('console-urls').textContent);
const sectorNames = JSON.parse(document.getElementById('sector-labels').textContent);
let state = JSON.parse(document.getElementById('initial-state').textContent);

const $ = (id) => document.getElementById(id);
const countdown = new Countdown($('console-countdown'), { labels: { paused: 'paused', done: "time's up" } });
let shownTimer;

// What the facilitator is in the middle of, kept across live redraws.
let editing = null; // {id, title, details, theme}: the idea being edited
const selected = new Set(); // ideas ticked for merging
let mergeTarget = null;
const tieOrders = new Map(); // a tie's ideas (sorted, joined) -> the order being decided

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

function showError(message) { errorEl.textContent = message || ''; errorEl.hidden = !message; }
const isVote = (round) => Boolean(round && VOTING_KINDS.includes(round.kind));
const ideaUrl = (template, id) => template.replace('/rounds/0/', `/rounds/${id}/`);

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
    renderMeta(); renderPresence(); renderExtras(); renderMerges();
  }, 1500);
}

function withPresence(s) {
  // A round change does not carry the presence counts: keep the last ones.
  return { ...s, connected: s.connected ?? state.connected, connected_by_group: s.connected_by_group ?? state.connected_by_group };
}

const live = connect('/facilitator', code, {
  onSignedOut: (message) => {
    showError(message || 'You have been logged out. Log in again to run the workshop.');
    connEl.textContent = 'logged out';
    connEl.dataset.kind = 'error';
  },
  onState: (s) => { state = s; render(); },
  onStatus: (kind, text) => { connEl.textContent = kind === 'error' ? text : kind === 'held' ? text.message : kind === 'offline' ? 'offline' : 'live'; connEl.dataset.kind = kind; },
  on: {
    round_state: (s) => { state = withPresence(s); render(); refreshExtras(); }, // groups may have changed: fresh counts
    idea_added: (idea) => {
      if (state.round && idea.round_id === state.round.id && !state.ideas.some((i) => i.id === idea.id)) {
        state.ideas.push(idea);
        renderMeta(); renderIdeas(); refreshExtras();
      }
    },
    idea_updated: (idea) => {
      if (isVote(state.round)) { live.sync(); return; } // what is voted on changed
      if (!state.ideas.some((i) => i.id === idea.id)) return;
      state.ideas = state.ideas.map((i) => (i.id === idea.id ? idea : i));
      renderMeta(); renderIdeas();
    },
    tally: (tally) => {
      if (!state.round || tally.round_id !== state.round.id) return;
      state.tally = tally; state.voters = tally.voters; state.submitted = tally.voters;
      renderMeta(); renderTally(); refreshExtras();
    },
    presence: (p) => {
      Object.assign(state, { participants: p.participants, connected: p.connected, connected_by_group: p.connected_by_group });
      renderPresence(); renderMeta();
    },
    agenda: (agenda) => { state.agenda = agenda; renderAgenda(); },
    timer: (timer) => {
      const active = timer.running || (timer.remaining !== null && timer.remaining !== undefined) ? timer : null;
      for (const r of [state.round, ...(state.rounds || [])]) if (r && r.id === timer.round_id) r.timer = active;
      renderTimer();
    },
    comment_added: (c) => commentChanged(c),
    comment_updated: (c) => commentChanged(c),
    worksheet_field: (msg) => {
      const sheet = (state.worksheets || []).find((s) => s.id === msg.worksheet_id);
      const field = sheet && sheet.fields.find((f) => f.key === msg.key);
      if (field && msg.version > field.version) { Object.assign(field, { text: msg.text, version: msg.version, updated_by: msg.updated_by }); renderSheets(); }
    },
  },
});

function commentChanged(c) {
  if (!state.round || c.round_id !== state.round.id) return;
  const known = (state.comments || []).some((x) => x.id === c.id);
  state.comments = known ? state.comments.map((x) => (x.id === c.id ? c : x)) : [...(state.comments || []), c];
  renderMeta(); renderComments(); refreshExtras();
}

async function act(event, payload) {
  showError('');
  const resp = await live.request(event, payload);
  if (!resp || !resp.ok) showError(resp ? resp.error.message : 'No answer from the server.');
  return resp;
}

// --- the room: presence, agenda, timer -------------------------------------------------------

function renderPresence() {
  $('participant-count').textContent = state.participants;
  $('connected-count').textContent = state.connected ?? 0;
  const by = state.connected_by_group || {};
  const parts = (state.groups || []).map((g) => h('span', { class: 'group-count', dataset: { groupId: g.id } }, `${g.name}: `, h('strong', {}, String(by[String(g.id)] || 0))));
  if (by.none) parts.push(h('span', { class: 'group-count', dataset: { groupId: 'none' } }, 'No group: ', h('strong', {}, String(by.none))));
  $('presence-groups').replaceChildren(...parts);
}

function renderAgenda() {
  const agenda = state.agenda || { items: [] };
  drawAgenda($('agenda-now'), agenda);
  const { next } = nowNext(agenda);
  $('agenda-empty').hidden = agenda.items.length > 0;
  const button = $('agenda-next');
  button.hidden = !next;
  button.textContent = agenda.now ? 'Next agenda item' : 'Start the agenda';
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
  $('timer-start').textContent = timer ? 'Restart timer' : 'Start timer';
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
  if (!(minutes > 0)) { showError('Give the time in minutes, for example 5.'); return; }
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
  if (r.state === 'open') buttons.push(h('button', { type: 'button', id: id('close'), onclick: () => act('close_round', { round_id: r.id }) }, 'Close'));
  else if (r.state === 'closed') buttons.push(h('button', { type: 'button', id: id('open'), onclick: () => act('open_round', { round_id: r.id }) }, 'Reopen'));
  else buttons.push(h('button', { type: 'button', id: id('open'), class: 'primary', onclick: () => act('open_round', { round_id: r.id }) }, 'Open'));
  if (isVote(r)) {
    buttons.push(h('button', { type: 'button', id: id('reveal'), onclick: () => act('reveal_results', { round_id: r.id, revealed: !r.results_revealed }) },
      r.results_revealed ? 'Hide results' : 'Reveal results'));
  }
  if (r.state === 'closed' && isVote(r)) {
    buttons.push(h('a', { href: ideaUrl(urls.round_csv, r.id) }, 'CSV'));
    buttons.push(h('a', { href: ideaUrl(urls.round_json, r.id) }, 'JSON'));
  }
  if (r.kind === 'worksheet') buttons.push(h('a', { href: ideaUrl(urls.worksheets, r.id) }, 'Worksheets'));
  const s = r.settings || {};
  const badges = [
    h('span', { class: 'badge' }, r.kind_label), ' ', h('span', { class: 'badge state' }, r.state),
    isVote(r) && !r.results_revealed ? [' ', h('span', { class: 'badge' }, 'results hidden')] : null,
    s.anonymous ? [' ', h('span', { class: 'badge' }, 'anonymous')] : null,
    s.per_group ? [' ', h('span', { class: 'badge' }, 'in groups')] : null,
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

function renderMeta() {
  const round = state.round;
  const meta = $('live-meta');
  const submitted = $('live-submitted');
  $('live-title').textContent = round ? `${round.title} (${round.state})` : 'Nothing open';
  // Worksheets are written together, so nobody "submits" one: no count there.
  submitted.hidden = !round || round.kind === 'worksheet';
  submitted.textContent = round ? `Submitted: ${state.submitted ?? 0}` : '';
  const mode = $('live-mode');
  const s = (round && round.settings) || {};
  const modes = !round ? [] : [
    round.kind === 'rank' ? `Counted with ${RANK_METHODS.en[s.method] || s.method}` : null,
    s.anonymous ? 'Anonymous: ballots are stored without names' : null,
    s.per_group ? `Held in groups: the top ${s.group_top_n} of each group go on` : null,
    s.tie_break === 'facilitator' ? 'You decide ties after closing' : s.tie_break === 'prior_round' ? 'Ties broken by the earlier round' : null,
  ].filter(Boolean);
  mode.hidden = !modes.length;
  mode.replaceChildren(...modes.map((m) => h('span', { class: 'badge' }, m)));
  if (!round) { meta.textContent = 'Open a round to start.'; return; }
  if (round.kind === 'brainstorm') {
    const visible = state.ideas.filter((i) => !i.hidden && !i.merged_into).length;
    const hidden = state.ideas.filter((i) => i.hidden).length;
    const merged = state.ideas.filter((i) => !i.hidden && i.merged_into).length;
    meta.textContent = `${visible} ideas${hidden ? `, ${hidden} hidden` : ''}${merged ? `, ${merged} merged` : ''}`;
  } else if (isVote(round)) {
    meta.textContent = `${state.voters || 0} of ${state.participants} have voted`;
  } else if (round.kind === 'comment') {
    const shown = (state.comments || []).filter((c) => !c.hidden).length;
    const items = (round.settings.items || []).length;
    meta.textContent = `${shown} ${shown === 1 ? 'comment' : 'comments'} on ${items} ${items === 1 ? 'item' : 'items'}`;
  } else if (round.kind === 'worksheet') {
    meta.textContent = plural((state.worksheets || []).length, 'worksheet');
  }
}

function tallyDetail(method, s) {
  const e = s.extra || {};
  const bits = [];
  if (e.group) bits.push(e.group);
  if (method === 'score' && e.count) bits.push(`mean ${Number(e.mean).toFixed(2)} from ${e.count}`);
  if (method === 'impact_effort' && e.count) bits.push(`impact ${Number(e.mean_impact).toFixed(1)} · effort ${Number(e.mean_effort).toFixed(1)} · ${e.quadrant.replace('_', ' ')}`);
  if (method === 'pairwise' && e.comparisons) bits.push(`${e.wins} won, ${e.losses} lost`);
  return bits.join(' · ');
}

function renderTally() {
  const el = $('live-tally');
  const card = $('live-card');
  el.replaceChildren();
  card.hidden = true;
  const round = state.round;
  const tally = state.tally;
  if (!round || !isVote(round) || !tally) return;
  if (tally.sealed) {
    // A secret vote shows no standings anywhere while open, this screen included: each change
    // would show the ballot just cast.
    el.append(h('p', { class: 'muted sealed' }, `Secret vote: ${tally.ballots} voted so far. The result is shown here and to everyone when the round closes.`));
    if (tally.method_card) { card.hidden = false; card.textContent = tally.method_card; }
    return;
  }
  const method = tally.method;
  const scale = method === 'score' ? Number(round.settings.scale_max || 5) : null;
  const max = Math.max(1e-9, ...tally.standings.map((s) => Math.abs(s.score)));
  for (const s of tally.standings) {
    const detail = tallyDetail(method, s);
    const share = method === 'impact_effort' ? null : Math.max(0, s.score) / (scale || max);
    el.append(h('div', { class: 'bar-row', dataset: { ideaId: s.idea_id } },
      h('span', { class: 'rank' }, rankLabel(s)),
      h('span', { class: 'name' }, h('span', { class: 'title' }, s.title), detail ? h('span', { class: 'detail muted' }, detail) : null),
      share === null ? h('span', { class: 'bar-none' }) : h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${(100 * share).toFixed(1)}%` })),
      h('span', { class: 'score' }, scoreText(method, s))));
  }
  if (tally.method_card) { card.hidden = false; card.textContent = tally.method_card; }
}

// Runs of ideas sharing a place (2=, 2=) in the standings.
function tieGroups(standings) {
  const groups = [];
  let run = [];
  for (const s of standings) {
    if (run.length && s.rank !== run[0].rank) { if (run.length > 1 && run[0].tied) groups.push(run); run = []; }
    run.push(s);
  }
  if (run.length > 1 && run[0].tied) groups.push(run);
  return groups;
}

function breakdownTable(tally, breakdown) {
  const by = breakdown && breakdown.by_sector;
  const sectors = by ? Object.keys(by.sectors || {}) : [];
  if (!sectors.length) return null;
  const minCell = by.min_cell;
  const consensus = breakdown.consensus || {};
  const rows = tally.standings;
  const head = h('tr', {}, h('th', { scope: 'col' }, 'Idea'),
    sectors.map((k) => h('th', { scope: 'col' }, sectorNames[k] || k, h('span', { class: 'muted voters' }, ` (${plural(by.sectors[k].voters ?? by.sectors[k].ballots, 'voter')})`))),
    h('th', { scope: 'col' }, 'Consensus'));
  const body = rows.map((s, n) => h('tr', {}, h('th', { scope: 'row' }, s.title),
    sectors.map((k) => {
      const cell = by.sectors[k];
      if (cell.suppressed) {
        return n === 0 ? h('td', { class: 'suppressed', rowspan: rows.length }, `fewer than ${minCell} voters`) : null;
      }
      const mine = (cell.standings || []).find((x) => x.option === s.idea_id);
      return h('td', {}, mine ? [h('span', { class: 'rank' }, rankLabel(mine)), ' ', h('span', { class: 'muted' }, scoreText(cell.method, mine))] : '–');
    }),
    (() => {
      const c = consensus[String(s.idea_id)];
      const value = c && c.consensus !== null && c.consensus !== undefined ? `${Math.round(100 * c.consensus)}%` : '–';
      return h('td', { class: 'consensus', title: c && c.sectors_counted ? `over ${c.sectors_counted} sectors` : 'no sector has enough voters' }, value);
    })()));
  return h('section', { class: 'extra-block', id: 'breakdown' },
    h('h3', {}, 'By sector'),
    h('p', { class: 'hint' }, `Sectors with fewer than ${minCell} voters are not shown. Consensus: how evenly support is spread over the sectors shown (100% = every sector supports it).`),
    h('div', { class: 'table-scroll' }, h('table', { class: 'table breakdown' }, h('thead', {}, head), h('tbody', {}, body))));
}

function comparisonTable(tally, comparison) {
  if (!comparison || !Object.keys(comparison).length) return null;
  const methods = [tally.method, ...Object.keys(comparison)];
  const place = (m, id) => (m === tally.method ? rankLabel(tally.standings.find((s) => s.idea_id === id)) : String(comparison[m].indexOf(id) + 1 || '–'));
  return h('section', { class: 'extra-block', id: 'comparison' },
    h('h3', {}, 'Other counting methods'),
    h('p', { class: 'hint' }, 'The same ballots counted the other ways, for comparison.'),
    h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Idea'), methods.map((m) => h('th', { scope: 'col' }, RANK_METHODS.en[m] || m, m === tally.method ? ' (used)' : '')))),
      h('tbody', {}, tally.standings.map((s) => h('tr', {}, h('th', { scope: 'row' }, s.title), methods.map((m) => h('td', {}, place(m, s.idea_id))))))));
}

function tieBreaker(round, tally) {
  if (round.state !== 'closed' || (round.settings || {}).tie_break !== 'facilitator') return null;
  const groups = tieGroups(tally.standings);
  if (!groups.length) return null;
  return h('section', { class: 'extra-block tie-break', id: 'tie-break' },
    h('h3', {}, 'Decide the ties'),
    h('p', { class: 'hint' }, 'These ideas share a place. Put each tie in the order you decide and save it; the decision is recorded with the result.'),
    groups.map((group) => {
      const key = group.map((s) => s.idea_id).sort((a, b) => a - b).join(',');
      const order = tieOrders.get(key) || group.map((s) => s.idea_id);
      const titles = new Map(group.map((s) => [s.idea_id, s.title]));
      const move = (i, d) => {
        const next = [...order];
        [next[i], next[i + d]] = [next[i + d], next[i]];
        tieOrders.set(key, next);
        renderExtras();
      };
      return h('div', { class: 'tie-group', dataset: { ideas: key } },
        h('ol', { class: 'tie-order' }, order.map((id, i) => h('li', { dataset: { ideaId: id } },
          h('span', { class: 'title' }, titles.get(id)),
          h('button', { type: 'button', class: 'small up', id: `tie-${key}-${id}-up`, 'aria-label': `Move up: ${titles.get(id)}`, disabled: i === 0, onclick: () => move(i, -1) }, '↑'),
          h('button', { type: 'button', class: 'small down', id: `tie-${key}-${id}-down`, 'aria-label': `Move down: ${titles.get(id)}`, disabled: i === order.length - 1, onclick: () => move(i, 1) }, '↓')))),
        h('button', { type: 'button', class: 'primary decide', onclick: async () => {
          const resp = await act('decide_tie', { round_id: round.id, order });
          if (resp && resp.ok) { tieOrders.delete(key); state.tally = resp.tally; renderTally(); renderExtras(); }
        } }, `Decide the place ${group[0].rank} tie`));
    }));
}

function renderExtras() {
  const el = $('live-extras');
  const round = state.round;
  keepFocus(el, () => {
    el.replaceChildren();
    if (!round || !isVote(round) || !state.tally) return;
    const blocks = [tieBreaker(round, state.tally), breakdownTable(state.tally, state.breakdown), round.kind === 'rank' ? comparisonTable(state.tally, state.comparison) : null];
    el.append(...blocks.filter(Boolean));
  });
}

// --- ideas and their curation ------------------------------------------------------------------

function titleOf(id) {
  const all = [...(state.ideas || []), ...(state.options || [])];
  const idea = all.find((i) => i.id === id);
  return idea ? idea.title : `#${id}`;
}

function startEdit(idea) {
  editing = { id: idea.id, title: idea.title, details: idea.details || '', theme: idea.theme || '' };
  renderIdeas();
  const input = $(`edit-title-${idea.id}`);
  if (input) input.focus();
}

async function saveEdit(idea) {
  const draft = editing;
  const resp = await act('edit_idea', { idea_id: idea.id, title: draft.title, details: draft.details });
  if (!resp || !resp.ok) return;
  let updated = resp.idea;
  if ((draft.theme || '') !== (idea.theme || '')) {
    const themed = await act('set_theme', { idea_id: idea.id, theme: draft.theme });
    if (!themed || !themed.ok) return;
    updated = themed.idea;
  }
  editing = null;
  state.ideas = state.ideas.map((i) => (i.id === updated.id ? updated : i));
  state.options = (state.options || []).map((i) => (i.id === updated.id ? updated : i));
  renderIdeas();
  const button = $(`edit-${idea.id}`);
  if (button) button.focus();
}

function editItem(idea) {
  const field = (key, label, control) => h('div', { class: 'field' }, h('label', { for: `edit-${key}-${idea.id}` }, label), control);
  const bind = (el, key) => { el.value = editing[key]; el.addEventListener('input', () => { editing[key] = el.value; }); return el; };
  const themes = [...new Set([...(state.ideas || []), ...(state.options || [])].map((i) => i.theme).filter(Boolean))];
  const form = h('form', { class: 'idea-edit', novalidate: true },
    field('title', 'Title', bind(h('input', { id: `edit-title-${idea.id}`, maxlength: 120, required: true }), 'title')),
    field('details', 'Details', bind(h('textarea', { id: `edit-details-${idea.id}`, rows: 3, maxlength: 1000 }), 'details')),
    field('theme', 'Theme', bind(h('input', { id: `edit-theme-${idea.id}`, maxlength: 60, list: 'theme-list', placeholder: 'e.g. Data sharing' }), 'theme')),
    h('datalist', { id: 'theme-list' }, themes.map((t) => h('option', { value: t }))),
    h('div', { class: 'row-actions' },
      h('button', { type: 'submit', class: 'primary small', id: `edit-save-${idea.id}` }, 'Save'),
      h('button', { type: 'button', class: 'small', id: `edit-cancel-${idea.id}`, onclick: () => { editing = null; renderIdeas(); } }, 'Cancel')));
  form.addEventListener('submit', (event) => { event.preventDefault(); saveEdit(idea); });
  form.addEventListener('keydown', (event) => { if (event.key === 'Escape') { editing = null; renderIdeas(); } });
  return h('li', { class: 'editing', dataset: { ideaId: idea.id } }, form);
}

function ideaItem(idea) {
  if (editing && editing.id === idea.id) return editItem(idea);
  const active = !idea.hidden && !idea.merged_into;
  const cls = idea.hidden ? 'hidden-idea' : idea.merged_into ? 'merged-idea' : '';
  const who = [idea.author, idea.organisation].filter(Boolean).join(' · ');
  return h('li', { class: cls, dataset: { ideaId: idea.id } },
    active
      ? h('input', { type: 'checkbox', class: 'pick', id: `pick-${idea.id}`, checked: selected.has(idea.id), 'aria-label': `Select “${idea.title}” for merging`,
        onchange: (e) => { if (e.target.checked) selected.add(idea.id); else selected.delete(idea.id); renderMergeBar(); } })
      : h('span', { class: 'pick' }),
    h('div', { class: 'idea-body' },
      h('strong', {}, idea.title), idea.theme ? [' ', h('span', { class: 'badge theme' }, idea.theme)] : null,
      idea.details ? h('p', {}, idea.details) : null,
      who ? h('span', { class: 'muted' }, who) : null,
      idea.merged_into ? h('span', { class: 'muted merged-note' }, `Merged into “${titleOf(idea.merged_into)}”`) : null),
    h('div', { class: 'idea-actions' },
      h('button', { type: 'button', class: 'small', id: `edit-${idea.id}`, 'aria-label': `Edit “${idea.title}”`, onclick: () => startEdit(idea) }, 'Edit'),
      idea.merged_into ? null : h('button', { type: 'button', class: 'small', id: `hide-${idea.id}`, onclick: () => act('hide_idea', { idea_id: idea.id, hidden: !idea.hidden }) }, idea.hidden ? 'Show' : 'Hide')));
}

function renderMergeBar() {
  const bar = $('merge-bar');
  const pool = state.round && state.round.kind === 'brainstorm' ? state.ideas : (state.options || []);
  const activeIds = new Set(pool.filter((i) => !i.hidden && !i.merged_into).map((i) => i.id));
  for (const id of [...selected]) if (!activeIds.has(id)) selected.delete(id);
  keepFocus(bar, () => {
    bar.replaceChildren();
    bar.hidden = selected.size === 0;
    if (selected.size === 1) { bar.append(h('p', { class: 'muted' }, 'Tick another idea to merge it with this one.')); return; }
    if (selected.size < 2) return;
    const ids = [...selected];
    if (!ids.includes(mergeTarget)) mergeTarget = ids[0];
    const select = h('select', { id: 'merge-target', onchange: (e) => { mergeTarget = Number(e.target.value); } },
      ids.map((id) => h('option', { value: id, selected: id === mergeTarget }, titleOf(id))));
    bar.append(
      h('span', {}, `${ids.length} ideas selected.`),
      h('label', { for: 'merge-target' }, 'Merge into…'), select,
      h('button', { type: 'button', class: 'primary', id: 'merge-go', onclick: async () => {
        const target = Number(select.value);
        const resp = await act('merge_ideas', { target_id: target, source_ids: ids.filter((id) => id !== target) });
        if (resp && resp.ok) { selected.clear(); state.merges = resp.merges; renderIdeas(); }
      } }, 'Merge'),
      h('button', { type: 'button', id: 'merge-clear', onclick: () => { selected.clear(); renderIdeas(); } }, 'Clear selection'));
  });
}

function renderMerges() {
  const el = $('merges');
  const merges = (state.merges || []).filter((m) => !m.undone);
  keepFocus(el, () => {
    el.replaceChildren();
    if (!merges.length || !state.round || !(state.round.kind === 'brainstorm' || isVote(state.round))) return;
    el.append(h('h3', {}, 'Merged ideas'), h('ul', { class: 'merge-list' }, merges.map((m) => h('li', { class: 'merge-row', dataset: { mergeId: m.id } },
      h('span', {}, `“${m.source_title}” → “${m.target_title}”`),
      h('button', { type: 'button', class: 'small', id: `undo-${m.id}`, 'aria-label': `Undo merging “${m.source_title}”`, onclick: async () => {
        const resp = await act('undo_merge', { merge_id: m.id });
        if (resp && resp.ok) { state.merges = resp.merges; renderMerges(); }
      } }, 'Undo')))));
  });
}

function renderIdeas() {
  const list = $('live-ideas');
  const options = $('live-options');
  const round = state.round;
  keepFocus(list, () => {
    list.replaceChildren();
    if (round && round.kind === 'brainstorm') list.append(...[...state.ideas].reverse().map(ideaItem));
  });
  keepFocus(options, () => {
    const wasOpen = options.querySelector('details') ? options.querySelector('details').open : false;
    options.replaceChildren();
    if (!round || !isVote(round) || !(state.options || []).length) return;
    const details = h('details', { class: 'options-box', open: wasOpen || Boolean(editing) || selected.size > 0 },
      h('summary', {}, `Ideas in this vote (${state.options.length}): edit, theme, merge`),
      h('ul', { class: 'ideas' }, state.options.map(ideaItem)));
    options.append(details);
  });
  renderMergeBar();
  renderMerges();
}

// --- comments and worksheets ---------------------------------------------------------------------

function renderComments() {
  const el = $('live-comments');
  const round = state.round;
  keepFocus(el, () => {
    el.replaceChildren();
    if (!round || round.kind !== 'comment') return;
    (round.settings.items || []).forEach((item, index) => {
      const comments = (state.comments || []).filter((c) => c.item_index === index);
      el.append(h('section', { class: 'comment-item', dataset: { item: index } },
        h('h3', {}, `${index + 1}. ${item} `, h('span', { class: 'badge' }, `${comments.filter((c) => !c.hidden).length}`)),
        comments.length ? h('ul', { class: 'comments' }, comments.map((c) => h('li', { class: [c.starred ? 'starred' : '', c.hidden ? 'hidden-comment' : ''].join(' ').trim(), dataset: { commentId: c.id } },
          h('div', { class: 'comment-body' }, h('span', { class: 'comment-text' }, c.text),
            [c.author, c.organisation, c.group].filter(Boolean).length ? h('span', { class: 'muted by' }, [c.author, c.organisation, c.group].filter(Boolean).join(' · ')) : null),
          h('div', { class: 'idea-actions' },
            h('button', { type: 'button', class: 'small star-toggle', id: `star-${c.id}`, 'aria-pressed': String(c.starred), onclick: () => act('flag_comment', { comment_id: c.id, starred: !c.starred }) },
              h('span', { 'aria-hidden': 'true' }, c.starred ? '★' : '☆'), ' Star'),
            h('button', { type: 'button', class: 'small', id: `hidec-${c.id}`, onclick: () => act('flag_comment', { comment_id: c.id, hidden: !c.hidden }) }, c.hidden ? 'Show' : 'Hide')))))
          : h('p', { class: 'muted' }, 'No comments yet.')));
    });
  });
}

function renderSheets() {
  const el = $('live-worksheets');
  const round = state.round;
  keepFocus(el, () => {
    el.replaceChildren();
    if (!round || round.kind !== 'worksheet') return;
    el.append(h('p', {}, h('a', { class: 'button primary', id: 'worksheets-link', href: ideaUrl(urls.worksheets, round.id) }, 'Open the worksheets')));
    const sheets = state.worksheets || [];
    if (!sheets.length) { el.append(h('p', { class: 'muted' }, 'The worksheets are made when the round opens.')); return; }
    el.append(h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Idea'), h('th', { scope: 'col' }, 'Group'), h('th', { scope: 'col' }, 'Written'))),
      h('tbody', {}, sheets.map((s) => h('tr', { dataset: { worksheetId: s.id } },
        h('td', {}, String(s.position)), h('td', {}, s.idea),
        h('td', {}, h('select', { id: `sheet-group-${s.id}`, 'aria-label': `Group for “${s.idea}”`,
          onchange: (e) => act('assign_worksheet', { worksheet_id: s.id, group_id: e.target.value || null }) },
        h('option', { value: '' }, 'Any group'), (state.groups || []).map((g) => h('option', { value: g.id, selected: g.id === s.group_id }, g.name)))),
        h('td', {}, `${s.fields.filter((f) => f.text.trim()).length} of ${s.fields.length}`))))));
  });
}

function render() {
  renderPresence();
  renderAgenda();
  renderRounds();
  renderMeta();
  renderTimer();
  renderTally();
  renderExtras();
  renderIdeas();
  renderComments();
  renderSheets();
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
