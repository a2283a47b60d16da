// Points: each participant shares a budget of points among the ideas (a slider and a number each).
import { formatNumber, gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { nonZero, votingKind } from './vote.js';

function phone(ballot) {
  let refresh = () => {};
  return {
    mount(container, ctx) {
      const state = ctx.state;
      const budget = Number(state.round.settings.budget || 100);
      const moving = {}; // idea id -> points on screen not yet sent (a slider being dragged)
      const valueOf = (mine, key) => (key in moving ? moving[key] : Number(mine[key] || 0));
      const left = h('p', { class: 'points-left', id: 'points-left', 'aria-live': 'polite' });
      const help = ngettext('Share %(n)s point among the ideas: slide, or type a number.', 'Share %(n)s points among the ideas: slide, or type a number.', budget);
      container.append(h('p', { class: 'hint' }, help), left);
      const list = h('ul', { class: 'vote-list points-list', id: 'vote-list' });
      const rows = [];
      const othersSum = (key) => {
        const mine = ballot.mine();
        return ballot.state().options.reduce((sum, o) => (String(o.id) === key ? sum : sum + valueOf(mine, String(o.id))), 0);
      };
      const showLeft = () => {
        const mine = ballot.mine();
        const used = ballot.state().options.reduce((sum, o) => sum + valueOf(mine, String(o.id)), 0);
        left.textContent = ngettext('%(n)s of %(budget)s left', '%(n)s of %(budget)s left', budget, { n: formatNumber(budget - used), budget: formatNumber(budget) });
        left.classList.toggle('none-left', used >= budget);
      };
      for (const idea of state.options) {
        const key = String(idea.id);
        const label = gettext('Points for %(title)s', { title: idea.title });
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
          if (v === Number(ballot.mine()[key] || 0)) { refresh(); return; }
          ballot.change('allocate_points', { idea_id: idea.id, points: v }, (b) => {
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
      container.append(list);
      const submit = ballot.anonymous() ? ballot.submitBox(() => nonZero(ballot.mine())) : null;
      if (submit) container.append(submit.box);
      refresh = () => {
        const mine = ballot.mine();
        for (const { key, li, range, number } of rows) {
          const v = valueOf(mine, key);
          li.classList.toggle('has-points', v > 0);
          // Leave alone the field the participant is changing right now.
          if (document.activeElement !== range && !(key in moving)) range.value = String(v);
          if (document.activeElement !== number && !(key in moving)) number.value = String(v);
        }
        showLeft();
        if (submit) submit.update();
      };
      refresh();
    },
    update() { refresh(); },
    destroy() { refresh = () => {}; },
  };
}

export default votingKind({
  emptyBallot: () => ({}),
  phone,
  chart: 'bar',
  barAxis: () => ({ title: { display: true, text: gettext('Points'), font: { size: 18 } } }),
});
