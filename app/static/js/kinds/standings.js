// A round's standings as every surface lists them: place, title, detail, score. A kind gives
// its own score text (``scoreText(s)``) and detail (``detail(s)``); these are the plain ones.
import { gettext } from '../i18n.js';
import { formatScore, h, rankLabel } from '../live.js';

export function plainScore(s) {
  return formatScore(s.score);
}

export function plainDetail(s) {
  const extra = s.extra || {};
  return [extra.group].filter(Boolean).join(' · ');
}

export function scoreOf(kind, s) {
  return (kind.scoreText || plainScore)(s);
}

// One <li> per idea of ``tally``'s standings; ``detailClass`` is the class of the detail line.
export function standingItems(kind, tally, detailClass) {
  const detailOf = kind.detail || plainDetail;
  return tally.standings.map((s) => {
    const detail = detailOf(s);
    return h('li', { class: s.tied ? 'tied' : '' },
      h('span', { class: 'rank' }, rankLabel(s)),
      h('span', { class: 'name' }, h('span', { class: 'title' }, s.title), detail ? h('span', { class: detailClass }, detail) : null),
      h('span', { class: 'score' }, scoreOf(kind, s)));
  });
}

// The notes a phone shows under a closed round before its results (or instead of them).
const NOTES = {
  notRevealed: () => gettext('Results will be shown by the facilitator.'),
  thanks: () => gettext('Thank you for taking part in this round.'),
};

// The phone under a closed round: the results when the facilitator shows them, else a note
// (``note``: 'notRevealed' for a vote, 'thanks' for a round of comments or worksheets, none).
export function phoneClosed(kind, note) {
  let box = null;
  const draw = (state) => {
    if (!state.tally) {
      box.replaceChildren(...(note ? [h('p', {}, NOTES[note]())] : []));
      return;
    }
    const tally = state.tally;
    if (tally.pending) {
      box.replaceChildren(h('p', { class: 'pending' }, gettext('Closed – counting the votes…')));
      return;
    }
    box.replaceChildren(
      h('h2', {}, gettext('Results')),
      h('ol', { class: 'results' }, standingItems(kind, tally, 'detail muted')),
      tally.method_card ? h('p', { class: 'method-card', id: 'method-card' }, h('strong', {}, gettext('How it was counted:')), ' ', tally.method_card) : '');
  };
  return {
    mount(container, ctx) {
      container.append(h('p', { class: 'muted' }, gettext('This round is closed.')));
      // The parts are added straight to the stage, as before: a fragment holds them until then.
      box = { nodes: [], replaceChildren(...nodes) { for (const n of this.nodes) n.remove(); this.nodes = nodes.filter((n) => n instanceof Node); container.append(...this.nodes); } };
      draw(ctx.state);
    },
    update(state) { draw(state); },
    destroy() { box = null; },
  };
}
