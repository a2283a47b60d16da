// Survey results for the facilitator: counts and charts, updated live as answers arrive.
import { formatNumber, gettext, ngettext } from './i18n.js';
import { connect, h } from './live.js';

const root = document.getElementById('survey-results');
const surveyId = Number(root.dataset.surveyId);
const charts = [];

function render(summary) {
  document.getElementById('respondents').textContent = formatNumber(summary.respondents);
  charts.splice(0).forEach((c) => c.destroy());
  root.replaceChildren();
  if (summary.sealed) {
    // An anonymous survey shows its answers only once closed: live counts would show each answer.
    root.append(h('p', { class: 'muted sealed' }, gettext('Answers are anonymous: they are shown when you close the survey.')));
    for (const q of summary.questions) root.append(h('div', { class: 'survey-question', dataset: { questionId: q.id } }, h('h3', {}, q.text)));
    return;
  }
  for (const q of summary.questions) {
    const box = h('div', { class: 'survey-question', dataset: { questionId: q.id } }, h('h3', {}, q.text), h('p', { class: 'muted' }, ngettext('%(n)s answered', '%(n)s answered', q.answered)));
    if (q.counts) {
      if (q.mean !== undefined && q.mean !== null) box.append(h('p', {}, gettext('Mean %(mean)s · median %(median)s', { mean: formatNumber(q.mean), median: formatNumber(q.median) })));
      const canvas = h('canvas', { height: 160, 'aria-label': q.text, role: 'img' });
      box.append(h('div', { class: 'survey-chart' }, canvas));
      box.append(h('ul', { class: 'counts' }, Object.entries(q.counts).map(([k, v]) => h('li', {}, `${k}: ${formatNumber(v)}`))));
      if (window.Chart) {
        charts.push(new window.Chart(canvas, { type: 'bar', data: { labels: Object.keys(q.counts), datasets: [{ data: Object.values(q.counts), backgroundColor: '#2f6f5e' }] },
          options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, animation: false } }));
      }
    } else {
      box.append(h('ul', { class: 'answers' }, (q.answers || []).map((a) => h('li', {}, a))));
    }
    root.append(box);
  }
}

render(JSON.parse(document.getElementById('survey-summary').textContent));
connect('/facilitator', root.dataset.code, { on: { survey_results: (s) => { if (s.id === surveyId) render(s); } } });
