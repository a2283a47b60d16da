// Word cloud: participants send a few short words or phrases; the projector draws them as a
// cloud (wordcloud2.js, vendored) with the same words as a list for screen readers; the
// console lists every word with its count and hides a word, or shows it again.
import { h } from '../live.js';
import { phoneClosed } from './standings.js';
import { partsView } from './parts.js';

const T = {
  en: {
    help: (n, m) => `Send up to ${n} ${n === 1 ? 'word or short phrase' : 'words or short phrases'} (at most ${m} characters each). You can change them until the round closes.`,
    entry: (n) => `Word or phrase ${n}`, send: 'Send my words', remove: 'Remove', removeWord: (w) => `Remove “${w}”`,
    yours: 'Your words', none: 'You have not sent any words yet.', sent: 'Words sent ✓',
    typeOne: 'Type a word or a short phrase first.',
    cloud: (n) => `Word cloud of ${n} ${n === 1 ? 'word' : 'words'}`, noWords: 'No words yet – send yours!',
    words: (n) => `${n} ${n === 1 ? 'word' : 'words'}`, people: (n) => `${n} ${n === 1 ? 'participant' : 'participants'} took part`,
    showList: 'Show the words as a list', hideList: 'Hide the list', count: (n) => `sent by ${n}`,
    errors: {
      too_many_words: (d) => `You can send at most ${d.max_words} words or phrases.`,
      empty_word: () => 'Type a word or a short phrase, or remove the empty entry.',
      word_too_long: (d) => `Entry ${d.index + 1} is too long: at most ${d.max_length} characters.`,
      stop_word: (d) => `“${d.word}” is too common to count on its own: try a more telling word or a short phrase.`,
      duplicate_word: (d) => `You have already sent “${d.word}”.`,
      no_letters: (d) => `“${d.word}” has no letters or digits.`,
    },
  },
  nb: {
    help: (n, m) => `Send opptil ${n} ${n === 1 ? 'ord eller kort uttrykk' : 'ord eller korte uttrykk'} (høyst ${m} tegn hver). Du kan endre dem til runden lukkes.`,
    entry: (n) => `Ord eller uttrykk ${n}`, send: 'Send ordene mine', remove: 'Fjern', removeWord: (w) => `Fjern «${w}»`,
    yours: 'Ordene dine', none: 'Du har ikke sendt noen ord ennå.', sent: 'Ord sendt ✓',
    typeOne: 'Skriv et ord eller et kort uttrykk først.',
    cloud: (n) => `Ordsky med ${n} ord`, noWords: 'Ingen ord ennå – send dine!',
    words: (n) => `${n} ord`, people: (n) => `${n} ${n === 1 ? 'deltaker' : 'deltakere'} var med`,
    showList: 'Vis ordene som liste', hideList: 'Skjul listen', count: (n) => `sendt av ${n}`,
    errors: {
      too_many_words: (d) => `Du kan sende høyst ${d.max_words} ord eller uttrykk.`,
      empty_word: () => 'Skriv et ord eller et kort uttrykk, eller fjern det tomme feltet.',
      word_too_long: (d) => `Felt ${d.index + 1} er for langt: høyst ${d.max_length} tegn.`,
      stop_word: (d) => `«${d.word}» er for vanlig til å telles alene: prøv et mer treffende ord eller et kort uttrykk.`,
      duplicate_word: (d) => `Du har allerede sendt «${d.word}».`,
      no_letters: (d) => `«${d.word}» har verken bokstaver eller tall.`,
    },
  },
};

const wordOf = (s) => (s.extra && s.extra.text) || s.title;
const settingsOf = (state) => {
  const s = state.round.settings || {};
  return { maxWords: Number(s.max_words || 3), maxLength: Number(s.max_length || 40) };
};

// An error from the server in the page's language (its details say which entry and why).
function errorText(L, error) {
  const say = L.errors[error.code];
  return say ? say(error.details || {}) : error.message;
}

// --- the phone ---------------------------------------------------------------------------------

function phoneOpen() {
  let L = null;
  let ctx = null;
  let inputs = [];
  let mineEl = null;
  let dirty = false; // typed since the last send: an update from another tab leaves the fields alone

  const fill = (words) => inputs.forEach((input, n) => { input.value = words[n] || ''; });
  const drawMine = (state) => {
    const words = state.ballot || [];
    mineEl.replaceChildren(words.length
      ? h('ul', { class: 'word-chips', id: 'my-words' }, words.map((w) => h('li', { class: 'word-chip' }, w)))
      : h('p', { class: 'muted', id: 'my-words-none' }, L.none));
  };
  const mark = (index) => inputs.forEach((input, n) => {
    if (n === index) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
  });

  const send = (words) => {
    ctx.showError('');
    mark(null);
    const roundId = ctx.current().round.id;
    ctx.live.submit('send_words', { round_id: roundId, words }, (resp) => {
      if (!resp) return;
      if (resp.ok) {
        const now = ctx.current();
        if (now.round && now.round.id === roundId) { now.ballot = resp.ballot; now.voted = true; }
        dirty = false;
        ctx.setStatus('saved');
        ctx.statusText(L.sent);
        ctx.render();
        return;
      }
      // The typed words stay in their fields, and the entry at fault is marked.
      ctx.showError(errorText(L, resp.error));
      const index = resp.error.details && resp.error.details.index;
      if (Number.isInteger(index)) { mark(index); if (inputs[index]) inputs[index].focus(); }
    });
  };

  return {
    mount(container, c) {
      ctx = c;
      L = T[ctx.lang];
      const { maxWords, maxLength } = settingsOf(ctx.state);
      container.append(h('p', { class: 'hint', id: 'words-help' }, L.help(maxWords, maxLength)));
      const form = h('form', { class: 'word-form', id: 'word-form', novalidate: true });
      inputs = Array.from({ length: maxWords }, (_, n) => h('input', {
        id: `word-${n + 1}`, name: `word-${n + 1}`, maxlength: maxLength, autocomplete: 'off', autocapitalize: 'none',
        enterkeyhint: n === maxWords - 1 ? 'send' : 'next', 'aria-describedby': 'words-help',
        oninput: () => { dirty = true; },
      }));
      inputs.forEach((input, n) => {
        const remove = h('button', { type: 'button', class: 'small word-remove', id: `word-${n + 1}-remove`, 'aria-label': L.remove,
          onclick: () => {
            if (!input.value.trim()) return;
            input.value = '';
            send(inputs.map((i) => i.value.trim()).filter(Boolean));
          } }, '×');
        form.append(h('div', { class: 'word-row' },
          h('label', { for: input.id, class: 'visually-hidden' }, L.entry(n + 1)), input, remove));
      });
      form.append(h('button', { type: 'submit', class: 'primary big', id: 'words-send' }, L.send));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const words = inputs.map((i) => i.value.trim()).filter(Boolean);
        if (!words.length && !(ctx.current().ballot || []).length) { ctx.showError(L.typeOne); inputs[0].focus(); return; }
        send(words);
      });
      mineEl = h('div', { id: 'my-words-box' });
      container.append(form, h('h2', {}, L.yours), mineEl);
      fill(ctx.state.ballot || []);
      drawMine(ctx.state);
    },
    // Only the list of sent words is drawn again: the fields keep their text and the focus.
    update(state) {
      drawMine(state);
      const focused = inputs.includes(document.activeElement);
      if (!dirty && !focused) fill(state.ballot || []);
    },
    // Another tab of this participant sent words: this one shows them too.
    receive(event, msg) {
      if (event === 'ballot' && msg && Array.isArray(msg.ballot)) ctx.current().ballot = msg.ballot;
      return true;
    },
    destroy() { inputs = []; },
  };
}

// --- the projector ----------------------------------------------------------------------------

// Light colours on the projector's dark green, by the word's place.
const COLOURS = ['#9fe0c8', '#ffe08a', '#f3f6f4', '#8fc7ff', '#ffb59e', '#c9b6ff', '#b9e48a'];

function cloudBox(L) {
  const canvas = h('canvas', { id: 'word-cloud', class: 'word-cloud-canvas', role: 'img', 'aria-describedby': 'word-list' });
  const list = h('ol', { class: 'word-list visually-hidden', id: 'word-list' });
  const toggle = h('button', { type: 'button', class: 'small word-list-toggle', id: 'word-list-toggle', 'aria-expanded': 'false', 'aria-controls': 'word-list' }, L.showList);
  toggle.addEventListener('click', () => {
    const open = list.classList.toggle('visually-hidden') === false;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? L.hideList : L.showList;
  });
  const empty = h('p', { class: 'word-cloud-empty', id: 'word-cloud-empty', hidden: true }, L.noWords);
  const box = h('div', { class: 'word-cloud-box' }, canvas, empty);
  const wrap = h('div', { class: 'word-cloud', id: 'word-cloud-wrap' }, box, toggle, list);
  let drawn = '';
  let timer = null;
  let last = 0;

  const paint = (standings) => {
    last = Date.now();
    const width = Math.max(320, Math.floor(box.clientWidth));
    const height = Math.max(280, Math.floor(box.clientHeight));
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const max = Math.max(1, ...standings.map((s) => s.score));
    // The most sent word is the largest; a word sent once is a third of its size at most.
    const top = Math.min(150, height / 4);
    const small = Math.max(20, Math.min(top / 3, height / 18));
    const place = new Map(standings.map((s, n) => [wordOf(s), n]));
    if (!window.WordCloud || !window.WordCloud.isSupported) return;
    window.WordCloud(canvas, {
      list: standings.slice(0, 150).map((s) => [wordOf(s), s.score]),
      weightFactor: (count) => (max === 1 ? top * 0.6 : small + (top - small) * ((count - 1) / (max - 1))),
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
      fontWeight: '600',
      color: (word) => COLOURS[(place.get(word) || 0) % COLOURS.length],
      backgroundColor: 'rgba(0, 0, 0, 0)',
      rotateRatio: 0,
      shuffle: false,
      shrinkToFit: true,
      drawOutOfBound: false,
      gridSize: Math.round(Math.max(6, width / 160)),
    });
  };

  return {
    wrap,
    // Drawn again only when the words or counts change, at most every 1.5 s (tallies come
    // up to ten times a second); the list follows at once.
    draw(standings) {
      const key = JSON.stringify(standings.map((s) => [wordOf(s), s.score]));
      wrap.dataset.words = key;
      canvas.setAttribute('aria-label', L.cloud(standings.length));
      empty.hidden = standings.length > 0;
      list.replaceChildren(...standings.map((s) => h('li', { dataset: { ideaId: s.idea_id } },
        h('span', { class: 'word' }, wordOf(s)), ' ', h('span', { class: 'count' }, `(${L.count(s.score)})`))));
      if (key === drawn) return;
      drawn = key;
      clearTimeout(timer);
      const wait = Math.max(0, 1500 - (Date.now() - last));
      timer = setTimeout(() => { timer = null; paint(standings); }, wait);
    },
    destroy() { clearTimeout(timer); if (window.WordCloud && window.WordCloud.stop) window.WordCloud.stop(); },
  };
}

function displayView() {
  let ctx = null;
  let cloud = null;
  const draw = (state) => {
    const L = T[ctx.lang];
    const t = ctx.t;
    const { meta, board, card } = ctx.parts;
    const tally = state.tally;
    board.hidden = false;
    card.hidden = true;
    if (!tally) { meta.textContent = t.hidden; cloud.draw([]); cloud.wrap.hidden = true; return; }
    cloud.wrap.hidden = false;
    if (tally.pending) { meta.textContent = t.counting; return; }
    const standings = tally.standings || [];
    const people = state.round.state === 'open' ? state.voters || 0 : tally.ballots;
    meta.textContent = `${state.round.state === 'open' ? '' : `${t.closed} · `}${L.words(standings.length)} · ${L.people(people)}`;
    cloud.draw(standings);
    if (tally.method_card) { card.hidden = false; card.replaceChildren(h('strong', {}, t.howCounted), ' ', tally.method_card); }
  };
  return {
    mount(container, c) {
      ctx = c;
      const { board } = ctx.parts;
      board.className = 'board word-cloud-board';
      cloud = cloudBox(T[ctx.lang]);
      board.replaceChildren(cloud.wrap);
      draw(ctx.state);
    },
    update(state) { draw(state); },
    destroy() { if (cloud) cloud.destroy(); cloud = null; ctx.parts.board.className = 'board'; },
  };
}

// --- the console --------------------------------------------------------------------------------

function consoleView() {
  let ctx = null;
  let state = null;
  const hide = (id, hidden) => ctx.act('hide_idea', { idea_id: id, hidden });
  const drawMeta = () => {
    const shown = ((state.tally || {}).standings || []).length;
    const hidden = (state.words || []).filter((w) => w.hidden).length;
    ctx.$('live-meta').textContent = `${shown} ${shown === 1 ? 'word' : 'words'}${hidden ? `, ${hidden} hidden` : ''} · ${state.voters || 0} of ${state.participants} have sent words`;
  };
  const drawWords = () => {
    const el = ctx.$('live-tally');
    const card = ctx.$('live-card');
    const tally = state.tally;
    ctx.keepFocus(el, () => {
      el.replaceChildren();
      if (tally && tally.pending) { el.append(h('p', { class: 'muted pending' }, 'Closed. Counting… the words appear here when they are ready.')); return; }
      const shown = (tally && tally.standings) || [];
      const hidden = (state.words || []).filter((w) => w.hidden);
      el.append(h('h3', {}, 'Words'), shown.length
        ? h('ul', { class: 'word-admin', id: 'cloud-words' }, shown.map((s) => h('li', { dataset: { ideaId: s.idea_id } },
            h('span', { class: 'word' }, wordOf(s)), ' ', h('span', { class: 'badge count' }, String(s.score)),
            h('button', { type: 'button', class: 'small', id: `hide-word-${s.idea_id}`, 'aria-label': `Hide “${wordOf(s)}”`, onclick: () => hide(s.idea_id, true) }, 'Hide'))))
        : h('p', { class: 'muted' }, 'No words yet.'));
      if (hidden.length) {
        el.append(h('h3', {}, 'Hidden words'), h('p', { class: 'hint' }, 'Not on the projector, the phones or in the results.'),
          h('ul', { class: 'word-admin hidden-words', id: 'hidden-words' }, hidden.map((w) => h('li', { dataset: { ideaId: w.idea_id } },
            h('span', { class: 'word' }, w.text), ' ', h('span', { class: 'badge count' }, String(w.count)),
            h('button', { type: 'button', class: 'small', id: `show-word-${w.idea_id}`, 'aria-label': `Show “${w.text}” again`, onclick: () => hide(w.idea_id, false) }, 'Show')))));
      }
    });
    card.hidden = !(tally && tally.method_card);
    if (tally && tally.method_card) card.textContent = tally.method_card;
  };
  return partsView({ meta: drawMeta, tally: drawWords }, (s, c) => { if (c) ctx = c; state = s; });
}

// --- the kind ----------------------------------------------------------------------------------

// A word hidden on the console leaves the projector's and phones' cloud at once; shown again,
// it comes back with the count it had (a sync brings the server's numbers).
function wordChanged(state, idea) {
  if (!state.round || idea.round_id !== state.round.id || !state.tally || !state.tally.standings) return false;
  state.hiddenWords = state.hiddenWords || new Map();
  if (idea.hidden) {
    const gone = state.tally.standings.find((s) => s.idea_id === idea.id);
    if (!gone) return false;
    state.hiddenWords.set(idea.id, gone);
    state.tally = { ...state.tally, standings: state.tally.standings.filter((s) => s.idea_id !== idea.id) };
    return true;
  }
  const back = state.hiddenWords.get(idea.id);
  if (!back) return false;
  state.hiddenWords.delete(idea.id);
  state.tally = { ...state.tally, standings: [...state.tally.standings, back].sort((a, b) => b.score - a.score) };
  return true;
}

const kind = {
  voting: true,
  emptyBallot: () => [],
  phone: () => {
    let view = null;
    return {
      mount(container, ctx) { view = ctx.state.round.state === 'open' ? phoneOpen() : phoneClosed(kind, 'thanks'); view.mount(container, ctx); },
      update(state) { view.update(state); },
      receive(event, msg) { return view.receive ? view.receive(event, msg) : true; },
      destroy() { view.destroy(); },
    };
  },
  phoneKey: (state) => [JSON.stringify((state.round.settings || {}))],
  console: consoleView,
  display: displayView,
  scoreText: (s) => String(s.score),
  mode: (s) => `Up to ${s.max_words || 3} words of ${s.max_length || 40} characters each`,
  on: {
    idea_updated: (state, idea) => wordChanged(state, idea),
  },
};

export default kind;
