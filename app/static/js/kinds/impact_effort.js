// Impact and effort: each participant rates every idea's impact and the effort it takes; the
// projector places the ideas on a 2×2 matrix (quick wins, major projects, fill-ins, thankless).
import { formatFixed, formatNumber, gettext, locale } from '../i18n.js';
import { formatScore, h } from '../live.js';
import { plainDetail } from './standings.js';
import { scaleOf, votingKind } from './vote.js';

// An idea's quadrant (a phone's and the projector's list), and the quadrants' names in the matrix.
function quadrantName(quadrant) {
  return {
    quick_win: gettext('Quick win'), major_project: gettext('Major project'), fill_in: gettext('Fill-in'), thankless: gettext('Thankless'),
  }[quadrant] || quadrant;
}

function quadrantNames() {
  return {
    quick_win: gettext('Quick wins'), major_project: gettext('Major projects'), fill_in: gettext('Fill-ins'), thankless: gettext('Thankless tasks'),
  };
}

function phone(ballot) {
  let refresh = () => {};
  return {
    mount(container, ctx) {
      const values = scaleOf(ctx.state.round.settings);
      const picks = {}; // idea id -> {impact, effort} while only one of the two is chosen
      container.append(h('p', { class: 'hint' }, gettext("Rate each idea's impact and the effort it takes, from %(lo)s (low) to %(hi)s (high).",
        { lo: formatNumber(values[0]), hi: formatNumber(values[values.length - 1]) })));
      const list = h('ul', { class: 'vote-list ie-list', id: 'vote-list' });
      const rows = [];
      const current = (key) => {
        if (picks[key]) return picks[key];
        const saved = ballot.mine()[key];
        return saved ? { impact: saved[0], effort: saved[1] } : { impact: null, effort: null };
      };
      for (const idea of ctx.state.options) {
        const key = String(idea.id);
        const titleId = `idea-${idea.id}-title`;
        const tap = (axis, v) => {
          const now = current(key);
          const next = { ...now, [axis]: now[axis] === v ? null : v };
          const saved = ballot.mine()[key];
          if (next.impact !== null && next.effort !== null) {
            delete picks[key];
            ballot.change('rate_impact_effort', { idea_id: idea.id, impact: next.impact, effort: next.effort }, (b) => { b[key] = [next.impact, next.effort]; return b; });
            return;
          }
          picks[key] = next;
          if (saved) ballot.change('rate_impact_effort', { idea_id: idea.id, impact: null, effort: null }, (b) => { delete b[key]; return b; });
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
        const impact = axisRow('impact', gettext('Impact'));
        const effort = axisRow('effort', gettext('Effort'));
        const note = h('span', { class: 'ie-note', 'aria-live': 'polite' });
        const li = h('li', { dataset: { ideaId: idea.id } }, h('span', { class: 'title', id: titleId }, idea.title), impact.el, effort.el, note);
        rows.push({ key, li, axes: [impact, effort], note });
        list.append(li);
      }
      container.append(list);
      const submit = ballot.anonymous() ? ballot.submitBox(() => (Object.keys(ballot.mine()).length ? ballot.mine() : null)) : null;
      if (submit) container.append(submit.box);
      refresh = () => {
        for (const { key, li, axes, note } of rows) {
          const now = current(key);
          for (const { axis, buttons } of axes) {
            for (const btn of buttons) btn.setAttribute('aria-pressed', String(now[axis] === Number(btn.dataset.value)));
          }
          const complete = now.impact !== null && now.effort !== null;
          li.classList.toggle('rated', complete);
          note.textContent = complete ? gettext('Rated ✓') : now.impact !== null ? gettext('Now choose the effort')
            : now.effort !== null ? gettext('Now choose the impact') : '';
        }
        if (submit) submit.update();
      };
      refresh();
    },
    update() { refresh(); },
    destroy() { refresh = () => {}; },
  };
}

// The 2×2 of an impact/effort matrix: lines at the scale's midpoint, the quadrants named in
// their corners, and every idea's title beside its point (moved down where two would overlap).
const quadrantPlugin = {
  id: 'tavleQuadrants',
  beforeDatasetsDraw(c, args, opts) {
    const { ctx, chartArea: a, scales: { x, y } } = c;
    const mx = x.getPixelForValue(opts.mid);
    const my = y.getPixelForValue(opts.mid);
    ctx.save();
    ctx.fillStyle = 'rgba(47, 111, 94, 0.10)';
    ctx.fillRect(a.left, a.top, mx - a.left, my - a.top);
    ctx.strokeStyle = '#5f6b73';
    ctx.lineWidth = 2;
    ctx.setLineDash([10, 8]);
    ctx.beginPath();
    ctx.moveTo(mx, a.top); ctx.lineTo(mx, a.bottom);
    ctx.moveTo(a.left, my); ctx.lineTo(a.right, my);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = `600 ${Math.round(Math.max(14, Math.min(20, a.width / 36)))}px system-ui, sans-serif`;
    ctx.fillStyle = '#2f6f5e';
    const q = opts.names;
    ctx.textAlign = 'left';
    ctx.fillText(q.quick_win, a.left + 12, a.top + 28);
    ctx.fillText(q.fill_in, a.left + 12, a.bottom - 14);
    ctx.textAlign = 'right';
    ctx.fillText(q.major_project, a.right - 12, a.top + 28);
    ctx.fillText(q.thankless, a.right - 12, a.bottom - 14);
    ctx.restore();
  },
  afterDatasetsDraw(c) {
    const { ctx, chartArea: a } = c;
    const points = c.getDatasetMeta(0).data;
    const data = c.data.datasets[0].data;
    const placed = [];
    const size = Math.round(Math.max(14, Math.min(20, a.width / 34)));
    ctx.save();
    ctx.font = `${size}px system-ui, sans-serif`;
    ctx.fillStyle = '#1d2327';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    points.forEach((pt, i) => {
      // The side with more room; a title longer than the room is cut with an ellipsis.
      const roomRight = a.right - pt.x - 16;
      const roomLeft = pt.x - a.left - 16;
      const room = Math.max(roomRight, roomLeft);
      let text = data[i].label;
      while (text.length > 4 && ctx.measureText(text).width > room) text = `${text.slice(0, -2).trimEnd()}…`;
      const width = ctx.measureText(text).width;
      const x0 = roomRight >= width || roomRight >= roomLeft ? pt.x + 14 : pt.x - 14 - width;
      let y0 = pt.y;
      while (placed.some((p) => Math.abs(p.y - y0) < size + 2 && x0 < p.x + p.w && p.x < x0 + width)) y0 += size + 4;
      placed.push({ x: x0, y: y0, w: width });
      ctx.fillText(text, x0, y0);
    });
    ctx.restore();
  },
};

// The projector's matrix: drawn into the chart box while the round is open and beside the
// final list once it is closed (the matrix is the result).
function matrix(chartBox, canvas) {
  let chart = null;
  return {
    draw(tally, round) {
      const settings = round.settings || {};
      const lo = Number(settings.scale_min ?? 1);
      const hi = Number(settings.scale_max ?? 5);
      const rated = tally.standings.filter((s) => s.extra && s.extra.count);
      chartBox.dataset.points = JSON.stringify(rated.map((s) => [s.title, s.extra.mean_impact, s.extra.mean_effort]));
      const data = rated.map((s) => ({ x: s.extra.mean_effort, y: s.extra.mean_impact, label: s.title }));
      if (!window.Chart) return;
      if (chart) {
        chart.data.datasets[0].data = data;
        chart.update();
        return;
      }
      const axis = (text) => ({ min: lo, max: hi, ticks: { stepSize: 1, font: { size: 18 } }, title: { display: true, text, font: { size: 20, weight: '600' } } });
      chart = new window.Chart(canvas, {
        type: 'scatter',
        data: { datasets: [{ data, backgroundColor: '#2f6f5e', pointRadius: 9, pointHoverRadius: 11 }] },
        options: {
          animation: { duration: 300 }, responsive: true, maintainAspectRatio: false,
          layout: { padding: { right: 8, top: 8 } },
          plugins: {
            legend: { display: false },
            tooltip: {
              callbacks: {
                label: (item) => gettext('%(title)s: Impact %(impact)s, Effort %(effort)s',
                  { title: item.raw.label, impact: formatScore(item.raw.y), effort: formatScore(item.raw.x) }),
              },
            },
            tavleQuadrants: { mid: (lo + hi) / 2, names: quadrantNames() },
          },
          scales: { x: axis(gettext('Effort →')), y: axis(gettext('Impact →')) },
        },
        plugins: [quadrantPlugin],
      });
    },
    destroy() {
      if (chart) chart.destroy();
      chart = null;
    },
  };
}

export default votingKind({
  emptyBallot: () => ({}),
  phone,
  scoreText: (s) => {
    const extra = s.extra || {};
    return extra.count ? `${formatFixed(extra.mean_impact, 1)} / ${formatFixed(extra.mean_effort, 1)}` : '–';
  },
  detail: (s) => {
    const extra = s.extra || {};
    return [plainDetail(s), extra.quadrant ? quadrantName(extra.quadrant) : null].filter(Boolean).join(' · ');
  },
  tallyDetail: (s) => {
    const e = s.extra || {};
    return e.count ? gettext('impact %(impact)s · effort %(effort)s · %(quadrant)s',
      { impact: formatFixed(e.mean_impact, 1), effort: formatFixed(e.mean_effort, 1), quadrant: quadrantName(e.quadrant).toLocaleLowerCase(locale) }) : null;
  },
  // No bar on the console (two numbers, not one) and on the projector the matrix, which stays
  // beside the final list when the round closes.
  noBar: true,
  chart: matrix,
  chartWhenClosed: true,
});
