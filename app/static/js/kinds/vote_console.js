// The console's view of a voting round: how many have voted, the live tally as bars, the
// blocks under it (the facilitator's tie decision, the sector breakdown, other counting
// methods for a kind that has them) and the ideas voted on, to edit, theme and merge.
import { formatNumber, formatPercent, gettext, ngettext } from '../i18n.js';
import { h, keepFocus, rankLabel } from '../live.js';
import { scoreOf } from './standings.js';
import { partsView } from './parts.js';

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

function breakdownTable(kind, tally, breakdown, sectorNames) {
  const by = breakdown && breakdown.by_sector;
  const sectors = by ? Object.keys(by.sectors || {}) : [];
  if (!sectors.length) return null;
  const minCell = by.min_cell;
  const consensus = breakdown.consensus || {};
  const rows = tally.standings;
  const voters = (k) => ngettext('%(n)s voter', '%(n)s voters', by.sectors[k].voters ?? by.sectors[k].ballots);
  const head = h('tr', {}, h('th', { scope: 'col' }, gettext('Idea')),
    sectors.map((k) => h('th', { scope: 'col' }, sectorNames[k] || k, h('span', { class: 'muted voters' }, ` (${voters(k)})`))),
    h('th', { scope: 'col' }, gettext('Consensus')));
  const body = rows.map((s, n) => h('tr', {}, h('th', { scope: 'row' }, s.title),
    sectors.map((k) => {
      const cell = by.sectors[k];
      if (cell.suppressed) {
        return n === 0 ? h('td', { class: 'suppressed', rowspan: rows.length }, ngettext('fewer than %(n)s voter', 'fewer than %(n)s voters', minCell)) : null;
      }
      const mine = (cell.standings || []).find((x) => x.option === s.idea_id);
      return h('td', {}, mine ? [h('span', { class: 'rank' }, rankLabel(mine)), ' ', h('span', { class: 'muted' }, scoreOf(kind, mine))] : '–');
    }),
    (() => {
      const c = consensus[String(s.idea_id)];
      const value = c && c.consensus !== null && c.consensus !== undefined ? formatPercent(c.consensus) : '–';
      const title = c && c.sectors_counted ? ngettext('over %(n)s sector', 'over %(n)s sectors', c.sectors_counted) : gettext('no sector has enough voters');
      return h('td', { class: 'consensus', title }, value);
    })()));
  return h('section', { class: 'extra-block', id: 'breakdown' },
    h('h3', {}, gettext('By sector')),
    h('p', { class: 'hint' }, ngettext(
      'Sectors with fewer than %(n)s voter are not shown. Consensus: how evenly support is spread over the sectors shown (%(all)s = every sector supports it).',
      'Sectors with fewer than %(n)s voters are not shown. Consensus: how evenly support is spread over the sectors shown (%(all)s = every sector supports it).',
      minCell, { all: formatPercent(1) })),
    h('div', { class: 'table-scroll' }, h('table', { class: 'table breakdown' }, h('thead', {}, head), h('tbody', {}, body))));
}

// The same ballots counted by the kind's other methods (``kind.methods()``: method -> name);
// each method's places keep their ties (6=, 6=).
function comparisonTable(kind, tally, comparison) {
  if (!kind.methods || !comparison || !Object.keys(comparison).length) return null;
  const names = kind.methods();
  const methods = [tally.method, ...Object.keys(comparison)];
  const place = (m, id) => {
    const found = m === tally.method ? tally.standings.find((s) => s.idea_id === id) : comparison[m].find((p) => p.option === id);
    return found ? rankLabel(found) : '–';
  };
  return h('section', { class: 'extra-block', id: 'comparison' },
    h('h3', {}, gettext('Other counting methods')),
    h('p', { class: 'hint' }, gettext('The same ballots counted the other ways, for comparison.')),
    h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, gettext('Idea')), methods.map((m) => h('th', { scope: 'col' }, names[m] || m, m === tally.method ? [' ', gettext('(used)')] : '')))),
      h('tbody', {}, tally.standings.map((s) => h('tr', {}, h('th', { scope: 'row' }, s.title), methods.map((m) => h('td', {}, place(m, s.idea_id))))))));
}

export function consoleVote(kind) {
  let ctx = null;
  let state = null;
  const tieOrders = new Map(); // a tie's ideas (sorted, joined) -> the order being decided

  function drawMeta() {
    ctx.$('live-meta').textContent = ngettext('%(n)s of %(total)s has voted', '%(n)s of %(total)s have voted', state.voters || 0,
      { total: formatNumber(state.participants || 0) });
  }

  function drawTally() {
    const el = ctx.$('live-tally');
    const card = ctx.$('live-card');
    el.replaceChildren();
    card.hidden = true;
    const round = state.round;
    const tally = state.tally;
    if (!tally) return;
    if (tally.pending) {
      // A large round's result is counted by a job worker; its progress is in the jobs list.
      el.append(h('p', { class: 'muted pending' }, gettext('Closed. Counting the votes… the result appears here and to everyone when it is ready.')));
      return;
    }
    if (tally.sealed) {
      // A secret vote shows no standings anywhere while open, this screen included: each change
      // would show the ballot just cast.
      el.append(h('p', { class: 'muted sealed' }, ngettext(
        'Secret vote: %(n)s voted so far. The result is shown here and to everyone when the round closes.',
        'Secret vote: %(n)s voted so far. The result is shown here and to everyone when the round closes.', tally.ballots)));
      if (tally.method_card) { card.hidden = false; card.textContent = tally.method_card; }
      return;
    }
    const scale = kind.barScale ? kind.barScale(round) : null;
    const max = Math.max(1e-9, ...tally.standings.map((s) => Math.abs(s.score)));
    for (const s of tally.standings) {
      const detail = [(s.extra || {}).group, kind.tallyDetail ? kind.tallyDetail(s) : null].filter(Boolean).join(' · ');
      const share = kind.noBar ? null : Math.max(0, s.score) / (scale || max);
      el.append(h('div', { class: 'bar-row', dataset: { ideaId: s.idea_id } },
        h('span', { class: 'rank' }, rankLabel(s)),
        h('span', { class: 'name' }, h('span', { class: 'title' }, s.title), detail ? h('span', { class: 'detail muted' }, detail) : null),
        share === null ? h('span', { class: 'bar-none' }) : h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${(100 * share).toFixed(1)}%` })),
        h('span', { class: 'score' }, scoreOf(kind, s))));
    }
    if (tally.method_card) { card.hidden = false; card.textContent = tally.method_card; }
  }

  function tieBreaker(round, tally) {
    if (round.state !== 'closed' || (round.settings || {}).tie_break !== 'facilitator') return null;
    const groups = tieGroups(tally.standings);
    if (!groups.length) return null;
    return h('section', { class: 'extra-block tie-break', id: 'tie-break' },
      h('h3', {}, gettext('Decide the ties')),
      h('p', { class: 'hint' }, gettext('These ideas share a place. Put each tie in the order you decide and save it; the decision is recorded with the result.')),
      groups.map((group) => {
        const key = group.map((s) => s.idea_id).sort((a, b) => a - b).join(',');
        const order = tieOrders.get(key) || group.map((s) => s.idea_id);
        const titles = new Map(group.map((s) => [s.idea_id, s.title]));
        const move = (i, d) => {
          const next = [...order];
          [next[i], next[i + d]] = [next[i + d], next[i]];
          tieOrders.set(key, next);
          drawExtras();
        };
        return h('div', { class: 'tie-group', dataset: { ideas: key } },
          h('ol', { class: 'tie-order' }, order.map((id, i) => h('li', { dataset: { ideaId: id } },
            h('span', { class: 'title' }, titles.get(id)),
            h('button', { type: 'button', class: 'small up', id: `tie-${key}-${id}-up`, 'aria-label': gettext('Move up: %(title)s', { title: titles.get(id) }), disabled: i === 0, onclick: () => move(i, -1) }, '↑'),
            h('button', { type: 'button', class: 'small down', id: `tie-${key}-${id}-down`, 'aria-label': gettext('Move down: %(title)s', { title: titles.get(id) }), disabled: i === order.length - 1, onclick: () => move(i, 1) }, '↓')))),
          h('button', { type: 'button', class: 'primary decide', onclick: async () => {
            const resp = await ctx.act('decide_tie', { round_id: round.id, order });
            if (resp && resp.ok) { tieOrders.delete(key); ctx.current().tally = resp.tally; drawTally(); drawExtras(); }
          } }, gettext('Decide the place %(rank)s tie', { rank: formatNumber(group[0].rank) })));
      }));
  }

  function drawExtras() {
    const el = ctx.$('live-extras');
    const round = state.round;
    keepFocus(el, () => {
      el.replaceChildren();
      if (!state.tally) return;
      const blocks = [tieBreaker(round, state.tally), breakdownTable(kind, state.tally, state.breakdown, ctx.sectorNames), comparisonTable(kind, state.tally, state.comparison)];
      el.append(...blocks.filter(Boolean));
    });
  }

  const parts = {
    meta: drawMeta,
    tally: drawTally,
    extras: drawExtras,
    ideas: () => ctx.curation.render('options'),
    merges: () => ctx.curation.renderMerges(),
  };

  return partsView(parts, (s, c) => { if (c) ctx = c; state = s; }, () => tieOrders.clear());
}
