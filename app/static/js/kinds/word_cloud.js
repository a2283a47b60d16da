// Word cloud: participants send a few short words or phrases; the projector draws them as a
// cloud (wordcloud2.js, vendored) with the same words as a list for screen readers; the
// console lists every word with its count and hides a word, or shows it again.
import { formatNumber, gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { phoneClosed } from './standings.js';
import { partsView } from './parts.js';

// What the server's refusals of a participant's words say, from their details (which entry and why).
const ERRORS = {
  too_many_words: (d) => ngettext('You can send at most %(n)s word or phrase.', 'You can send at most %(n)s words or phrases.', Number(d.max_words)),
  empty_word: () => gettext('Type a word or a short phrase, or remove the empty entry.'),
  word_too_long: (d) => ngettext('Entry %(entry)s is too long: at most %(n)s character.', 'Entry %(entry)s is too long: at most %(n)s characters.',
    Number(d.max_length), { entry: formatNumber(Number(d.index) + 1) }),
  stop_word: (d) => gettext('“%(word)s” is too common to count on its own: try a more telling word or a short phrase.', { word: d.word }),
  duplicate_word: (d) => gettext('You have already sent “%(word)s”.', { word: d.word }),
  no_letters: (d) => gettext('“%(word)s” has no letters or digits.', { word: d.word }),
};

const wordOf = (s) => (s.extra && s.extra.text) || s.title;
const settingsOf = (state) => {
  const s = state.round.settings || {};
  return { maxWords: Number(s.max_words || 3), maxLength: Number(s.max_length || 40) };
};

// An error from the server in the page's language (its details say which entry and why).
function errorText(error) {
  const say = ERRORS[error.code];
  return say ? say(error.details || {}) : error.message;
}

// --- the phone ---------------------------------------------------------------------------------

function phoneOpen() {
  let ctx = null;
  let inputs = [];
  let mineEl = null;
  let dirty = false; // typed since the last send: an update from another tab leaves the fields alone

  const fill = (words) => inputs.forEach((input, n) => { input.value = words[n] || ''; });
  const drawMine = (state) => {
    const words = state.ballot || [];
    mineEl.replaceChildren(words.length
      ? h('ul', { class: 'word-chips', id: 'my-words' }, words.map((w) => h('li', { class: 'word-chip' }, w)))
      : h('p', { class: 'muted', id: 'my-words-none' }, gettext('You have not sent any words yet.')));
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
        ctx.statusText(gettext('Words sent ✓'));
        ctx.render();
        return;
      }
      // The typed words stay in their fields, and the entry at fault is marked.
      ctx.showError(errorText(resp.error));
      const index = resp.error.details && resp.error.details.index;
      if (Number.isInteger(index)) { mark(index); if (inputs[index]) inputs[index].focus(); }
    });
  };

  return {
    mount(container, c) {
      ctx = c;
      const { maxWords, maxLength } = settingsOf(ctx.state);
      const help = ngettext(
        'Send up to %(n)s word or short phrase (at most %(length)s characters each). You can change them until the round closes.',
        'Send up to %(n)s words or short phrases (at most %(length)s characters each). You can change them until the round closes.',
        maxWords, { length: formatNumber(maxLength) });
      container.append(h('p', { class: 'hint', id: 'words-help' }, help));
      const form = h('form', { class: 'word-form', id: 'word-form', novalidate: true });
      inputs = Array.from({ length: maxWords }, (_, n) => h('input', {
        id: `word-${n + 1}`, name: `word-${n + 1}`, maxlength: maxLength, autocomplete: 'off', autocapitalize: 'none',
        enterkeyhint: n === maxWords - 1 ? 'send' : 'next', 'aria-describedby': 'words-help',
        oninput: () => { dirty = true; },
      }));
      inputs.forEach((input, n) => {
        const remove = h('button', { type: 'button', class: 'small word-remove', id: `word-${n + 1}-remove`, 'aria-label': gettext('Remove'),
          onclick: () => {
            if (!input.value.trim()) return;
            input.value = '';
            send(inputs.map((i) => i.value.trim()).filter(Boolean));
          } }, '×');
        form.append(h('div', { class: 'word-row' },
          h('label', { for: input.id, class: 'visually-hidden' }, gettext('Word or phrase %(n)s', { n: formatNumber(n + 1) })), input, remove));
      });
      form.append(h('button', { type: 'submit', class: 'primary big', id: 'words-send' }, gettext('Send my words')));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const words = inputs.map((i) => i.value.trim()).filter(Boolean);
        if (!words.length && !(ctx.current().ballot || []).length) { ctx.showError(gettext('Type a word or a short phrase first.')); inputs[0].focus(); return; }
        send(words);
      });
      mineEl = h('div', { id: 'my-words-box' });
      container.append(form, h('h2', {}, gettext('Your words')), mineEl);
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

function cloudBox() {
  const canvas = h('canvas', { id: 'word-cloud', class: 'word-cloud-canvas', role: 'img', 'aria-describedby': 'word-list' });
  const list = h('ol', { class: 'word-list visually-hidden', id: 'word-list' });
  const toggle = h('button', { type: 'button', class: 'small word-list-toggle', id: 'word-list-toggle', 'aria-expanded': 'false', 'aria-controls': 'word-list' }, gettext('Show the words as a list'));
  toggle.addEventListener('click', () => {
    const open = list.classList.toggle('visually-hidden') === false;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? gettext('Hide the list') : gettext('Show the words as a list');
  });
  const empty = h('p', { class: 'word-cloud-empty', id: 'word-cloud-empty', hidden: true }, gettext('No words yet – send yours!'));
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
      canvas.setAttribute('aria-label', ngettext('Word cloud of %(n)s word', 'Word cloud of %(n)s words', standings.length));
      empty.hidden = standings.length > 0;
      list.replaceChildren(...standings.map((s) => h('li', { dataset: { ideaId: s.idea_id } },
        h('span', { class: 'word' }, wordOf(s)), ' ', h('span', { class: 'count' }, ['(', ngettext('sent by %(n)s', 'sent by %(n)s', s.score), ')']))));
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
    const { meta, board, card } = ctx.parts;
    const tally = state.tally;
    board.hidden = false;
    card.hidden = true;
    if (!tally) { meta.textContent = gettext('Voting in progress – results come later'); cloud.draw([]); cloud.wrap.hidden = true; return; }
    cloud.wrap.hidden = false;
    if (tally.pending) { meta.textContent = gettext('Counting the votes…'); return; }
    const standings = tally.standings || [];
    const people = state.round.state === 'open' ? state.voters || 0 : tally.ballots;
    meta.textContent = [state.round.state === 'open' ? null : gettext('Final result'), ngettext('%(n)s word', '%(n)s words', standings.length),
      ngettext('%(n)s participant took part', '%(n)s participants took part', people)].filter(Boolean).join(' · ');
    cloud.draw(standings);
    if (tally.method_card) { card.hidden = false; card.replaceChildren(h('strong', {}, gettext('How it was counted:')), ' ', tally.method_card); }
  };
  return {
    mount(container, c) {
      ctx = c;
      const { board } = ctx.parts;
      board.className = 'board word-cloud-board';
      cloud = cloudBox();
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
    const words = [ngettext('%(n)s word', '%(n)s words', shown), hidden ? ngettext('%(n)s hidden', '%(n)s hidden', hidden) : null].filter(Boolean).join(', ');
    const senders = ngettext('%(n)s of %(total)s has sent words', '%(n)s of %(total)s have sent words', state.voters || 0, { total: formatNumber(state.participants || 0) });
    ctx.$('live-meta').textContent = [words, senders].join(' · ');
  };
  const drawWords = () => {
    const el = ctx.$('live-tally');
    const card = ctx.$('live-card');
    const tally = state.tally;
    ctx.keepFocus(el, () => {
      el.replaceChildren();
      if (tally && tally.pending) { el.append(h('p', { class: 'muted pending' }, gettext('Closed. Counting… the words appear here when they are ready.'))); return; }
      const shown = (tally && tally.standings) || [];
      const hidden = (state.words || []).filter((w) => w.hidden);
      el.append(h('h3', {}, gettext('Words')), shown.length
        ? h('ul', { class: 'word-admin', id: 'cloud-words' }, shown.map((s) => h('li', { dataset: { ideaId: s.idea_id } },
            h('span', { class: 'word' }, wordOf(s)), ' ', h('span', { class: 'badge count' }, formatNumber(s.score)),
            h('button', { type: 'button', class: 'small', id: `hide-word-${s.idea_id}`, 'aria-label': gettext('Hide “%(word)s”', { word: wordOf(s) }), onclick: () => hide(s.idea_id, true) }, gettext('Hide')))))
        : h('p', { class: 'muted' }, gettext('No words yet.')));
      if (hidden.length) {
        el.append(h('h3', {}, gettext('Hidden words')), h('p', { class: 'hint' }, gettext('Not on the projector, the phones or in the results.')),
          h('ul', { class: 'word-admin hidden-words', id: 'hidden-words' }, hidden.map((w) => h('li', { dataset: { ideaId: w.idea_id } },
            h('span', { class: 'word' }, w.text), ' ', h('span', { class: 'badge count' }, formatNumber(w.count)),
            h('button', { type: 'button', class: 'small', id: `show-word-${w.idea_id}`, 'aria-label': gettext('Show “%(word)s” again', { word: w.text }), onclick: () => hide(w.idea_id, false) }, gettext('Show'))))));
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
  scoreText: (s) => formatNumber(s.score),
  mode: (s) => ngettext('Up to %(n)s word of %(length)s characters each', 'Up to %(n)s words of %(length)s characters each', Number(s.max_words || 3),
    { length: formatNumber(Number(s.max_length || 40)) }),
  on: {
    idea_updated: (state, idea) => wordChanged(state, idea),
  },
};

export default kind;
