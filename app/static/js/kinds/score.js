// Star rating: each participant rates each idea on the round's scale; the mean rating counts.
import { formatFixed, formatNumber, gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { scaleOf, votingKind } from './vote.js';

function phone(ballot) {
  let rows = [];
  let submit = null;
  const draw = () => {
    const mine = ballot.mine();
    for (const { key, li, buttons } of rows) {
      const value = mine[key];
      li.classList.toggle('rated', value !== undefined);
      for (const btn of buttons) {
        const v = Number(btn.dataset.value);
        btn.setAttribute('aria-pressed', String(value === v));
        btn.classList.toggle('on', value !== undefined && v <= value);
      }
    }
    if (submit) submit.update();
  };
  return {
    mount(container, ctx) {
      const values = scaleOf(ctx.state.round.settings);
      const hi = values[values.length - 1];
      container.append(h('p', { class: 'hint' }, gettext('Rate each idea from %(lo)s (lowest) to %(hi)s (highest). Tap your rating again to take it back.',
        { lo: formatNumber(values[0]), hi: formatNumber(hi) })));
      const list = h('ul', { class: 'vote-list rate-list', id: 'vote-list' });
      rows = ctx.state.options.map((idea) => {
        const key = String(idea.id);
        const titleId = `idea-${idea.id}-title`;
        const rate = (v) => {
          const value = ballot.mine()[key] === v ? null : v;
          ballot.change('rate_idea', { idea_id: idea.id, value }, (b) => {
            if (value === null) delete b[key]; else b[key] = value;
            return b;
          });
        };
        const buttons = values.map((v) => h('button', {
          type: 'button', class: 'star-btn', dataset: { value: v }, 'aria-pressed': 'false', 'aria-label': gettext('%(n)s of %(hi)s', { n: formatNumber(v), hi: formatNumber(hi) }), onclick: () => rate(v),
        }, h('span', { class: 'star', 'aria-hidden': 'true' }, '★'), h('span', { class: 'num', 'aria-hidden': 'true' }, String(v))));
        const li = h('li', { dataset: { ideaId: idea.id } },
          h('span', { class: 'title', id: titleId }, idea.title),
          h('div', { class: 'stars', role: 'group', 'aria-labelledby': titleId }, buttons));
        list.append(li);
        return { key, li, buttons };
      });
      container.append(list);
      submit = ballot.anonymous() ? ballot.submitBox(() => (Object.keys(ballot.mine()).length ? ballot.mine() : null)) : null;
      if (submit) container.append(submit.box);
      draw();
    },
    update() { draw(); },
    destroy() { rows = []; },
  };
}

export default votingKind({
  emptyBallot: () => ({}),
  phone,
  scoreText: (s) => ((s.extra || {}).count ? formatFixed(s.extra.mean, 1) : '–'),
  tallyDetail: (s) => ((s.extra || {}).count
    ? ngettext('mean %(mean)s from %(n)s', 'mean %(mean)s from %(n)s', s.extra.count, { mean: formatFixed(s.extra.mean, 2) }) : null),
  // The console's bars are the mean on the round's scale, the projector's axis that scale.
  barScale: (round) => Number(round.settings.scale_max || 5),
  chart: 'bar',
  barAxis: (round) => ({ min: 0, max: Number((round.settings || {}).scale_max ?? 5), title: { display: true, text: gettext('Mean rating'), font: { size: 18 } } }),
  barPrecision: false,
});
