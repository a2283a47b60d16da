// The projector: idea wall while brainstorming, a live bar chart while voting, the final list.
import { connect, formatScore, h, rankLabel, withIdea } from './live.js';

const root = document.getElementById('display');
const code = root.dataset.code;
const lang = root.dataset.lang === 'nb' ? 'nb' : 'en';
const T = {
  en: { participants: 'participants', waiting: 'Join now – the first round starts soon', ideas: (n) => `${n} ideas`, voted: (n) => `${n} have voted`, hidden: 'Voting in progress – results come later', closed: 'Final result', score: 'Score' },
  nb: { participants: 'deltakere', waiting: 'Bli med nå – første runde starter snart', ideas: (n) => `${n} idéer`, voted: (n) => `${n} har stemt`, hidden: 'Avstemning pågår – resultatet kommer senere', closed: 'Endelig resultat', score: 'Poeng' },
}[lang];
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = T[el.dataset.i18n];

const titleEl = document.getElementById('round-title');
const metaEl = document.getElementById('round-meta');
const wall = document.getElementById('wall');
const chartBox = document.getElementById('chart-box');
const finalEl = document.getElementById('final');
let state = null;
let chart = null;

const live = connect('/display', code, {
  onState: (s) => { state = s; render(); },
  on: {
    round_state: (s) => { state = s; render(); },
    idea_added: (idea) => { if (state && state.round && idea.round_id === state.round.id && !state.ideas.some((i) => i.id === idea.id)) { state.ideas.push(idea); render(); } },
    idea_updated: (idea) => {
      if (!state || !state.round || idea.round_id !== state.round.id) return;
      state.ideas = withIdea(state.ideas, idea);
      render();
    },
    tally: (tally) => { if (state && state.round && tally.round_id === state.round.id) { state.tally = tally; state.voters = tally.voters; render(); } },
    presence: (p) => { if (state) state.participants = p.participants; document.getElementById('participant-count').textContent = p.participants; },
  },
});

function drawChart(tally) {
  const labels = tally.standings.map((s) => s.title.length > 60 ? `${s.title.slice(0, 57)}…` : s.title);
  const data = tally.standings.map((s) => s.score);
  chartBox.dataset.scores = JSON.stringify(tally.standings.map((s) => [s.title, s.score]));
  if (!window.Chart) return;
  if (!chart) {
    chart = new window.Chart(document.getElementById('chart'), {
      type: 'bar',
      data: { labels, datasets: [{ label: T.score, data, backgroundColor: '#2f6f5e' }] },
      options: {
        indexAxis: 'y', animation: { duration: 300 }, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { font: { size: 18 }, precision: 0 } }, y: { ticks: { font: { size: 20 } } } },
      },
    });
  } else {
    chart.data.labels = labels;
    chart.data.datasets[0].data = data;
    chart.update();
  }
}

function render() {
  if (!state) return;
  document.getElementById('participant-count').textContent = state.participants;
  const round = state.round;
  wall.replaceChildren(); finalEl.replaceChildren();
  wall.hidden = true; chartBox.hidden = true; finalEl.hidden = true;
  if (!round) { titleEl.textContent = state.workshop.title; metaEl.textContent = T.waiting; return; }
  titleEl.textContent = round.title;
  if (round.kind === 'brainstorm') {
    metaEl.textContent = T.ideas(state.ideas.length);
    wall.hidden = false;
    for (const idea of state.ideas) wall.append(h('div', { class: 'sticky' }, h('strong', {}, idea.title), idea.author ? h('span', { class: 'muted' }, idea.author) : null));
    return;
  }
  metaEl.textContent = T.voted(state.voters || 0);
  if (!state.tally) { metaEl.textContent += ` · ${T.hidden}`; return; }
  if (round.state === 'open') {
    chartBox.hidden = false;
    drawChart(state.tally);
  } else {
    metaEl.textContent = `${T.closed} · ${T.voted(state.tally.ballots)}`;
    finalEl.hidden = false;
    for (const s of state.tally.standings) {
      finalEl.append(h('li', { class: s.tied ? 'tied' : '' }, h('span', { class: 'rank' }, rankLabel(s)), h('span', { class: 'title' }, s.title), h('span', { class: 'score' }, formatScore(s.score))));
    }
    if (chart) { chart.destroy(); chart = null; }
  }
}
