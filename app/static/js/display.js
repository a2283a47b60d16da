// The projector: idea wall while brainstorming, a live chart made for each way of voting, the
// final list with how it was counted, comments and worksheets, the countdown and the agenda.
import { connect, formatScore, h, rankLabel, scoreText, VOTING_KINDS, withIdea } from './live.js';
import { Countdown, drawAgenda } from './day.js';

const root = document.getElementById('display');
const code = root.dataset.code;
const lang = root.dataset.lang === 'nb' ? 'nb' : 'en';
const T = {
  en: {
    participants: 'participants', connected: 'connected', waiting: 'Join now – the first round starts soon', ideas: (n) => `${n} ideas`,
    voted: (n) => `${n} have voted`, hidden: 'Voting in progress – results come later', sealed: 'Secret vote – the result is shown when the round closes', closed: 'Final result', score: 'Score',
    now: 'Now', next: 'Next', paused: 'paused', timeUp: "time's up", howCounted: 'How it was counted:',
    mean: 'Mean rating', strength: 'Strength (%)', points: 'Points', impact: 'Impact', effort: 'Effort',
    quadrants: { quick_win: 'Quick wins', major_project: 'Major projects', fill_in: 'Fill-ins', thankless: 'Thankless tasks' },
    quadrant: { quick_win: 'Quick win', major_project: 'Major project', fill_in: 'Fill-in', thankless: 'Thankless' },
    comments: (n) => (n === 1 ? '1 comment' : `${n} comments`), commentsMeta: (n) => (n === 1 ? '1 comment so far' : `${n} comments so far`),
    sheets: (n) => `${n} ideas worked out in groups`, anyGroup: 'Any group', written: (n, m) => `${n} of ${m} headings written`,
  },
  nb: {
    participants: 'deltakere', connected: 'tilkoblet', waiting: 'Bli med nå – første runde starter snart', ideas: (n) => `${n} idéer`,
    voted: (n) => `${n} har stemt`, hidden: 'Avstemning pågår – resultatet kommer senere', sealed: 'Hemmelig avstemning – resultatet vises når runden lukkes', closed: 'Endelig resultat', score: 'Poeng',
    now: 'Nå', next: 'Neste', paused: 'pause', timeUp: 'tiden er ute', howCounted: 'Slik ble det telt:',
    mean: 'Gjennomsnitt', strength: 'Styrke (%)', points: 'Poeng', impact: 'Effekt', effort: 'Innsats',
    quadrants: { quick_win: 'Raske gevinster', major_project: 'Store prosjekter', fill_in: 'Småtiltak', thankless: 'Utakknemlige' },
    quadrant: { quick_win: 'Rask gevinst', major_project: 'Stort prosjekt', fill_in: 'Småtiltak', thankless: 'Utakknemlig' },
    comments: (n) => (n === 1 ? '1 kommentar' : `${n} kommentarer`), commentsMeta: (n) => (n === 1 ? '1 kommentar så langt' : `${n} kommentarer så langt`),
    sheets: (n) => `${n} idéer utarbeides i grupper`, anyGroup: 'Alle grupper', written: (n, m) => `${n} av ${m} felt skrevet`,
  },
}[lang];
for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = T[el.dataset.i18n];

const titleEl = document.getElementById('round-title');
const metaEl = document.getElementById('round-meta');
const wall = document.getElementById('wall');
const board = document.getElementById('board');
const chartBox = document.getElementById('chart-box');
const finalEl = document.getElementById('final');
const cardEl = document.getElementById('method-card');
const agendaEl = document.getElementById('agenda-strip');
const countdown = new Countdown(document.getElementById('countdown'), { labels: { paused: T.paused, done: T.timeUp } });
let shownTimer;
let state = null;
let chart = null;
let chartKey = null;
if (window.Chart) window.Chart.defaults.color = '#1d2327';

const live = connect('/display', code, {
  onState: (s) => { state = s; render(); },
  on: {
    round_state: (s) => { state = { ...s, connected: state ? state.connected : s.connected }; render(); },
    idea_added: (idea) => { if (state && state.round && idea.round_id === state.round.id && !state.ideas.some((i) => i.id === idea.id)) { state.ideas.push(idea); render(); } },
    idea_updated: (idea) => {
      if (!state || !state.round) return;
      if (state.round.kind !== 'brainstorm') { live.sync(); return; } // what is voted on changed
      if (idea.round_id !== state.round.id) return;
      state.ideas = withIdea(state.ideas, idea);
      render();
    },
    tally: (tally) => { if (state && state.round && tally.round_id === state.round.id) { state.tally = tally; state.voters = tally.voters; render(); } },
    presence: (p) => { if (!state) return; state.participants = p.participants; state.connected = p.connected; drawCounts(); },
    agenda: (agenda) => { if (state) { state.agenda = agenda; drawHeader(); } },
    timer: (timer) => {
      if (!state || !state.round || timer.round_id !== state.round.id) return;
      state.round.timer = timer.running || (timer.remaining !== null && timer.remaining !== undefined) ? timer : null;
      drawHeader();
    },
    comment_added: (c) => commentChanged(c),
    comment_updated: (c) => commentChanged(c),
    worksheet_field: (msg) => {
      const sheet = state && (state.worksheets || []).find((s) => s.id === msg.worksheet_id);
      const field = sheet && sheet.fields.find((f) => f.key === msg.key);
      if (!field || msg.version <= field.version) return;
      Object.assign(field, { text: msg.text, version: msg.version });
      render();
    },
  },
});

function commentChanged(c) {
  if (!state || !state.round || state.round.kind !== 'comment' || c.round_id !== state.round.id) return;
  const others = (state.comments || []).filter((x) => x.id !== c.id);
  state.comments = c.hidden ? others : [...others, c].sort((a, b) => a.id - b.id);
  render();
}

// --- charts ------------------------------------------------------------------------------

const short = (text, n = 60) => (text.length > n ? `${text.slice(0, n - 3)}…` : text);

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

function useChart(key, config) {
  if (chart && chartKey === key) return false;
  if (chart) chart.destroy();
  chart = window.Chart ? new window.Chart(document.getElementById('chart'), config) : null;
  chartKey = key;
  return true;
}

function dropChart() {
  if (chart) chart.destroy();
  chart = null;
  chartKey = null;
}

function drawBars(tally, round) {
  const method = tally.method;
  const labels = tally.standings.map((s) => short(s.title));
  const pairwise = method === 'pairwise';
  const data = tally.standings.map((s) => (pairwise ? Math.round(1000 * s.score) / 10 : s.score));
  const settings = round.settings || {};
  const x = { beginAtZero: true, ticks: { font: { size: 18 }, precision: pairwise || method === 'score' ? undefined : 0 } };
  if (method === 'score') Object.assign(x, { min: 0, max: Number(settings.scale_max ?? 5), title: { display: true, text: T.mean, font: { size: 18 } } });
  if (pairwise) Object.assign(x, { title: { display: true, text: T.strength, font: { size: 18 } } });
  if (method === 'points') x.title = { display: true, text: T.points, font: { size: 18 } };
  if (!window.Chart) return;
  const fresh = useChart(`${round.id}:bar`, {
    type: 'bar',
    data: { labels, datasets: [{ label: T.score, data, backgroundColor: '#2f6f5e' }] },
    options: {
      indexAxis: 'y', animation: { duration: 300 }, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { x, y: { ticks: { font: { size: 20 } } } },
    },
  });
  if (!fresh && chart) {
    chart.data.labels = labels;
    chart.data.datasets[0].data = data;
    chart.update();
  }
}

function drawMatrix(tally, round) {
  const settings = round.settings || {};
  const lo = Number(settings.scale_min ?? 1);
  const hi = Number(settings.scale_max ?? 5);
  const rated = tally.standings.filter((s) => s.extra && s.extra.count);
  chartBox.dataset.points = JSON.stringify(rated.map((s) => [s.title, s.extra.mean_impact, s.extra.mean_effort]));
  const data = rated.map((s) => ({ x: s.extra.mean_effort, y: s.extra.mean_impact, label: s.title }));
  if (!window.Chart) return;
  const axis = (text) => ({ min: lo, max: hi, ticks: { stepSize: 1, font: { size: 18 } }, title: { display: true, text, font: { size: 20, weight: '600' } } });
  const fresh = useChart(`${round.id}:scatter`, {
    type: 'scatter',
    data: { datasets: [{ data, backgroundColor: '#2f6f5e', pointRadius: 9, pointHoverRadius: 11 }] },
    options: {
      animation: { duration: 300 }, responsive: true, maintainAspectRatio: false,
      layout: { padding: { right: 8, top: 8 } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${item.raw.label}: ${T.impact} ${formatScore(item.raw.y)}, ${T.effort} ${formatScore(item.raw.x)}` } },
        tavleQuadrants: { mid: (lo + hi) / 2, names: T.quadrants },
      },
      scales: { x: axis(`${T.effort} →`), y: axis(`${T.impact} →`) },
    },
    plugins: [quadrantPlugin],
  });
  if (!fresh && chart) {
    chart.data.datasets[0].data = data;
    chart.update();
  }
}

function drawChart(tally, round) {
  chartBox.hidden = false;
  root.dataset.chart = round.kind;
  chartBox.dataset.scores = JSON.stringify(tally.standings.map((s) => [s.title, s.score]));
  if (round.kind === 'impact_effort') drawMatrix(tally, round);
  else { delete chartBox.dataset.points; drawBars(tally, round); }
}

// --- drawing ------------------------------------------------------------------------------

function drawCounts() {
  document.getElementById('participant-count').textContent = state.participants;
  document.getElementById('connected-count').textContent = state.connected ?? 0;
}

function drawHeader() {
  drawCounts();
  drawAgenda(agendaEl, state.agenda, { now: T.now, next: T.next });
  const timer = state.round && state.round.state === 'open' ? state.round.timer : null;
  if (timer !== shownTimer) { shownTimer = timer; countdown.set(timer); }
}

function render() {
  if (!state) return;
  drawHeader();
  const round = state.round;
  wall.replaceChildren(); finalEl.replaceChildren(); board.replaceChildren();
  wall.hidden = true; chartBox.hidden = true; finalEl.hidden = true; board.hidden = true; cardEl.hidden = true;
  delete root.dataset.chart;
  root.dataset.kind = round ? round.kind : '';
  if (!round) { titleEl.textContent = state.workshop.title; metaEl.textContent = T.waiting; dropChart(); return; }
  titleEl.textContent = round.title;
  if (round.kind === 'brainstorm') {
    dropChart();
    metaEl.textContent = T.ideas(state.ideas.length);
    wall.hidden = false;
    for (const idea of state.ideas) wall.append(h('div', { class: 'sticky' }, h('strong', {}, idea.title), idea.author ? h('span', { class: 'muted' }, idea.author) : null));
    return;
  }
  if (round.kind === 'comment') { dropChart(); renderComments(round); return; }
  if (round.kind === 'worksheet') { dropChart(); renderSheets(); return; }
  if (!VOTING_KINDS.includes(round.kind)) { dropChart(); metaEl.textContent = ''; return; }
  metaEl.textContent = T.voted(state.voters || 0);
  if (!state.tally) { dropChart(); metaEl.textContent += ` · ${T.hidden}`; return; }
  const tally = state.tally;
  if (tally.sealed) {
    // A secret vote publishes only its count while open: a moving chart would show each ballot.
    dropChart();
    metaEl.textContent += ` · ${T.sealed}`;
  } else if (round.state === 'open') {
    drawChart(tally, round);
  } else {
    metaEl.textContent = `${T.closed} · ${T.voted(tally.ballots)}`;
    finalEl.hidden = false;
    for (const s of tally.standings) {
      const extra = s.extra || {};
      const detail = [extra.group, extra.quadrant ? T.quadrant[extra.quadrant] : null].filter(Boolean).join(' · ');
      finalEl.append(h('li', { class: s.tied ? 'tied' : '' },
        h('span', { class: 'rank' }, rankLabel(s)),
        h('span', { class: 'name' }, h('span', { class: 'title' }, s.title), detail ? h('span', { class: 'detail' }, detail) : null),
        h('span', { class: 'score' }, scoreText(tally.method, s))));
    }
    // The matrix is the result of an impact/effort round: it stays beside the list.
    if (round.kind === 'impact_effort') drawChart(tally, round);
    else dropChart();
  }
  root.dataset.layout = !chartBox.hidden && !finalEl.hidden ? 'both' : '';
  if (tally.method_card) {
    cardEl.hidden = false;
    cardEl.replaceChildren(h('strong', {}, T.howCounted), ' ', tally.method_card);
  }
}

function renderComments(round) {
  const comments = state.comments || [];
  metaEl.textContent = T.commentsMeta(comments.length);
  board.hidden = false;
  board.className = 'board comment-board';
  (round.settings.items || []).forEach((item, index) => {
    const mine = comments.filter((c) => c.item_index === index);
    const starred = mine.filter((c) => c.starred);
    board.append(h('article', { class: 'board-card', dataset: { item: index, count: mine.length } },
      h('h2', {}, h('span', { class: 'item-no' }, `${index + 1}.`), ' ', item),
      h('p', { class: 'count-line' }, h('span', { class: 'count' }, T.comments(mine.length))),
      starred.length ? h('ul', { class: 'starred-list' }, starred.map((c) => h('li', {},
        h('span', { class: 'star-mark', 'aria-hidden': 'true' }, '★ '), c.text,
        c.group || c.author ? h('span', { class: 'by' }, ` – ${[c.author, c.group].filter(Boolean).join(', ')}`) : null))) : null));
  });
}

function renderSheets() {
  const sheets = state.worksheets || [];
  metaEl.textContent = T.sheets(sheets.length);
  board.hidden = false;
  board.className = 'board sheet-board';
  for (const sheet of sheets) {
    const written = sheet.fields.filter((f) => f.text.trim()).length;
    board.append(h('article', { class: 'board-card', dataset: { worksheetId: sheet.id } },
      h('h2', {}, h('span', { class: 'item-no' }, `${sheet.position}.`), ' ', sheet.idea),
      h('p', { class: 'group-line' }, sheet.group || T.anyGroup),
      h('p', { class: 'muted' }, T.written(written, sheet.fields.length))));
  }
}
