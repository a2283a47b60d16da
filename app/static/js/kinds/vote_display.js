// The projector's view of a voting round: the live chart while it is open (a bar chart unless
// the kind brings its own, as impact/effort brings its matrix), the final list with how it was
// counted once it is closed. The chart lives in the view and is destroyed with it.
import { gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { standingItems } from './standings.js';

const short = (text, n = 60) => (text.length > n ? `${text.slice(0, n - 3)}…` : text);
const voted = (n) => ngettext('%(n)s has voted', '%(n)s have voted', n);
const line = (...parts) => parts.join(' · ');

function bars(kind, canvas) {
  let chart = null;
  return {
    draw(tally, round) {
      const labels = tally.standings.map((s) => short(s.title));
      const data = tally.standings.map((s) => (kind.barValue ? kind.barValue(s) : s.score));
      const x = { beginAtZero: true, ticks: { font: { size: 18 }, precision: kind.barPrecision === false ? undefined : 0 } };
      if (kind.barAxis) Object.assign(x, kind.barAxis(round));
      if (!window.Chart) return;
      if (chart) {
        chart.data.labels = labels;
        chart.data.datasets[0].data = data;
        chart.update();
        return;
      }
      chart = new window.Chart(canvas, {
        type: 'bar',
        data: { labels, datasets: [{ label: gettext('Score'), data, backgroundColor: '#2f6f5e' }] },
        options: {
          indexAxis: 'y', animation: { duration: 300 }, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { x, y: { ticks: { font: { size: 20 } } } },
        },
      });
    },
    destroy() {
      if (chart) chart.destroy();
      chart = null;
    },
  };
}

export function displayVote(kind) {
  let ctx = null;
  let chart = null; // the chart on screen, or null

  const dropChart = () => { if (chart) chart.destroy(); chart = null; };
  const drawChart = (tally, round) => {
    const { root, chartBox, canvas } = ctx.parts;
    chartBox.hidden = false;
    root.dataset.chart = round.kind;
    chartBox.dataset.scores = JSON.stringify(tally.standings.map((s) => [s.title, s.score]));
    if (typeof kind.chart !== 'function') delete chartBox.dataset.points;
    if (!chart) chart = typeof kind.chart === 'function' ? kind.chart(chartBox, canvas) : bars(kind, canvas);
    chart.draw(tally, round);
  };

  const draw = (state) => {
    const { root, meta, chartBox, final, card } = ctx.parts;
    const round = state.round;
    const closed = gettext('Final result');
    final.replaceChildren();
    chartBox.hidden = true; final.hidden = true; card.hidden = true;
    delete root.dataset.chart;
    meta.textContent = voted(state.voters || 0);
    if (!state.tally) { dropChart(); meta.textContent = line(voted(state.voters || 0), gettext('Voting in progress – results come later')); return; }
    const tally = state.tally;
    if (tally.pending) {
      dropChart();
      meta.textContent = line(closed, gettext('Counting the votes…'));
    } else if (tally.sealed) {
      // A secret vote publishes only its count while open: a moving chart would show each ballot.
      dropChart();
      meta.textContent = line(voted(state.voters || 0), gettext('Secret vote – the result is shown when the round closes'));
    } else if (round.state === 'open') {
      drawChart(tally, round);
    } else {
      meta.textContent = line(closed, voted(tally.ballots));
      final.hidden = false;
      final.append(...standingItems(kind, tally, 'detail'));
      // A kind whose chart is its result (the impact/effort matrix) keeps it beside the list.
      if (kind.chartWhenClosed) drawChart(tally, round);
      else dropChart();
    }
    root.dataset.layout = !chartBox.hidden && !final.hidden ? 'both' : '';
    if (tally.method_card) {
      card.hidden = false;
      card.replaceChildren(h('strong', {}, gettext('How it was counted:')), ' ', tally.method_card);
    }
  };

  return {
    mount(container, c) { ctx = c; draw(ctx.state); },
    update(state) { draw(state); },
    destroy() { dropChart(); },
  };
}
