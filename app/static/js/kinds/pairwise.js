// Pairwise comparison: a participant is shown two ideas at a time and taps the one that
// matters more (or skips the pair); each idea's strength is the share of comparisons it won.
import { formatNumber, formatPercent, gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { clone, votingKind } from './vote.js';

function samePair(a, b) { return (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]); }

function phone(ballot) {
  let draw = () => {};
  let pairsAsked = false; // asked the server once for more pairs after the last batch
  let seen = null; // the last whole state from the server (a new batch of pairs comes with one)
  return {
    mount(container, ctx) {
      seen = ctx.state;
      const anon = ballot.anonymous();
      const byId = new Map(ctx.state.options.map((o) => [o.id, o]));
      let waiting = false;
      let focusNext = false; // the answer came from the keyboard: focus the next pair when it is shown
      container.append(h('p', { class: 'hint' }, gettext('Which of the two matters more? Tap it.')));
      const progress = h('p', { class: 'pair-progress', id: 'pair-progress', 'aria-live': 'polite' });
      const box = h('div', { class: 'pair', id: 'pair' });
      container.append(progress, box);
      const submit = anon ? ballot.submitBox(() => (ballot.getDraft().comparisons.length ? { comparisons: ballot.getDraft().comparisons } : null)) : null;
      if (submit) container.append(submit.box);
      let shown = null; // the pair on screen: kept (with its buttons) while it is still the next one

      const remaining = () => {
        const mine = ballot.mine();
        const done = [...(mine.comparisons || []), ...(mine.skipped || [])];
        return (ballot.state().pairs || []).filter((p) => byId.has(p[0]) && byId.has(p[1]) && !done.some((d) => samePair(d, p)));
      };
      const answer = (pair, payload, apply) => {
        ctx.showError('');
        focusNext = box.contains(document.activeElement);
        if (anon) { ballot.setDraft(apply(clone(ballot.getDraft()))); draw(); return; }
        const roundId = ballot.state().round.id;
        waiting = true;
        draw();
        ctx.live.submit('compare_pair', { round_id: roundId, ...payload }, (resp) => {
          waiting = false;
          const now = ctx.current();
          if (!now.round || now.round.id !== roundId) return;
          if (resp && resp.ok) {
            now.ballot = resp.ballot;
            now.pairs = (now.pairs || []).filter((p) => !samePair(p, pair));
          } else if (resp) { ctx.showError(resp.error.message); ctx.live.sync(); }
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

      draw = () => {
        const hadFocus = box.contains(document.activeElement);
        const mine = ballot.mine();
        progress.textContent = ngettext('%(n)s compared', '%(n)s compared', (mine.comparisons || []).length);
        const next = remaining()[0];
        if (!next) {
          // A phone gets a batch of pairs at a time: ask once for more before saying it is done.
          if (!anon && !pairsAsked && !waiting) { pairsAsked = true; ctx.live.sync(); }
          if (!shown || shown.pair) {
            shown = { pair: null };
            box.replaceChildren(h('p', { class: 'saved-note', id: 'pairs-done' }, gettext('You have compared every pair. Thank you!')));
          }
        } else if (shown && shown.pair && shown.pair[0] === next[0] && shown.pair[1] === next[1]) {
          // The same pair (a tally, another device's answer): leave its buttons, and the focus, alone.
          for (const b of shown.buttons) b.disabled = waiting;
        } else {
          const [a, b] = next;
          const card = (winner, loser) => h('button', {
            type: 'button', class: 'pair-card', dataset: { ideaId: winner }, disabled: waiting, onclick: () => pick(next, winner, loser),
          }, byId.get(winner).title);
          const buttons = [card(a, b), card(b, a),
            h('button', { type: 'button', class: 'pair-skip', id: 'pair-skip', disabled: waiting, onclick: () => skip(next) }, gettext('Skip this pair'))];
          shown = { pair: next, buttons };
          box.replaceChildren(buttons[0], h('span', { class: 'pair-or', 'aria-hidden': 'true' }, gettext('or')), buttons[1], buttons[2]);
          // Keyboard and screen-reader users go straight on to the next pair.
          if ((hadFocus || focusNext) && !waiting) { focusNext = false; box.querySelector('.pair-card').focus({ preventScroll: true }); }
        }
        if (submit) submit.update();
      };
      draw();
    },
    update(state) {
      if (state !== seen) { seen = state; if (state.pairs && state.pairs.length) pairsAsked = false; }
      draw();
    },
    destroy() { draw = () => {}; },
  };
}

export default votingKind({
  emptyBallot: () => ({ comparisons: [], skipped: [] }),
  phone,
  scoreText: (s) => ((s.extra || {}).comparisons === 0 ? '–' : formatPercent(s.score)),
  tallyDetail: (s) => ((s.extra || {}).comparisons
    ? gettext('%(wins)s won, %(losses)s lost', { wins: formatNumber(s.extra.wins), losses: formatNumber(s.extra.losses) }) : null),
  chart: 'bar',
  barValue: (s) => Math.round(1000 * s.score) / 10,
  barPrecision: false,
  barAxis: () => ({ title: { display: true, text: gettext('Strength (%)'), font: { size: 18 } } }),
});
