// Dot voting: each participant spreads a budget of dots over the ideas, at most ``cap`` on one.
import { formatNumber, gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { nonZero, votingKind } from './vote.js';

// "2 of 5 dots left · at most 3 on one idea" (the plural follows the budget: "of 5 dots").
function leftText(left, budget, cap) {
  const dots = ngettext('%(n)s of %(budget)s dot left', '%(n)s of %(budget)s dots left', budget, { n: formatNumber(left), budget: formatNumber(budget) });
  return [dots, gettext('at most %(cap)s on one idea', { cap: formatNumber(cap) })].join(' · ');
}

function phone(ballot) {
  let rows = [];
  let left = null;
  let submit = null;
  let settings = null;
  const draw = () => {
    const { budget, cap } = settings;
    const mine = ballot.mine();
    const used = Object.values(mine).reduce((a, b) => a + b, 0);
    left.textContent = leftText(budget - used, budget, cap);
    for (const row of rows) {
      const count = mine[row.key] || 0;
      row.li.className = count ? 'has-dots' : '';
      row.pips.forEach((pip, k) => { pip.className = k < count ? 'pip on' : 'pip'; });
      if (row.count.textContent !== String(count)) row.count.textContent = String(count);
      row.minus.disabled = count === 0;
      row.plus.disabled = count >= cap || used >= budget;
    }
    if (submit) submit.update();
  };
  return {
    mount(container, ctx) {
      settings = ctx.state.round.settings;
      left = h('p', { class: 'dots-left', id: 'dots-left' });
      const list = h('ul', { class: 'vote-list', id: 'vote-list' });
      rows = ctx.state.options.map((idea) => {
        const key = String(idea.id);
        const set = (delta) => {
          const count = (ballot.mine()[key] || 0) + delta;
          ballot.change('cast_dots', { idea_id: idea.id, count }, (b) => {
            if (count) b[key] = count; else delete b[key];
            return b;
          });
        };
        const pips = Array.from({ length: settings.cap }, () => h('span', { class: 'pip' }));
        const row = {
          key,
          pips,
          count: h('span', { class: 'count', 'aria-live': 'polite' }, '0'),
          minus: h('button', { type: 'button', class: 'round-btn minus', 'aria-label': gettext('Remove a dot from %(title)s', { title: idea.title }), onclick: () => set(-1) }, '−'),
          plus: h('button', { type: 'button', class: 'round-btn plus', 'aria-label': gettext('Add a dot to %(title)s', { title: idea.title }), onclick: () => set(1) }, '+'),
        };
        row.li = h('li', { dataset: { ideaId: idea.id } },
          h('span', { class: 'title' }, idea.title),
          h('span', { class: 'dot-controls' }, row.minus, h('span', { class: 'pips', 'aria-hidden': 'true' }, pips), row.count, row.plus));
        list.append(row.li);
        return row;
      });
      container.append(left, list);
      submit = ballot.anonymous() ? ballot.submitBox(() => nonZero(ballot.mine())) : null;
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
  chart: 'bar',
});
