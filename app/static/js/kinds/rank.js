// Ranking: each participant puts the ideas in order (drag, or the up/down buttons) and saves it;
// counted with the round's method (Borda, Schulze or instant-runoff).
import { gettext } from '../i18n.js';
import { h } from '../live.js';
import { votingKind } from './vote.js';

// The ways a ranking is counted, by the name the server gives them, in the page's language.
export function rankMethods() {
  return { borda: gettext('Borda count'), schulze: gettext('Schulze (Condorcet)'), irv: gettext('Instant-runoff') };
}

function shuffledFor(ids, seed) {
  // A different first order per participant, so the list's order does not sway the room.
  const out = [...ids];
  let x = seed * 2654435761 % 4294967296 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function phone(ballot) {
  let order = null; // the order on screen (may differ from the saved ballot)
  let dirty = false; // moved since the last save
  let ctx = null;
  let list = null;
  let button = null;
  let savedNote = null;
  let sortable = null;
  let submit = null; // an anonymous round's "Submit my vote"
  const rows = new Map(); // idea id -> {li, pos, title, up, down}

  const fromBallot = (state) => {
    const ids = state.options.map((o) => o.id);
    const saved = (ballot.mine() || []).filter((id) => ids.includes(id));
    order = saved.length === ids.length ? saved : shuffledFor(ids, state.me ? state.me.id : 1);
  };
  const moved = () => {
    dirty = true;
    if (ballot.anonymous()) ballot.setDraft([...order]);
    ctx.render();
  };

  // Put the rows in ``order`` in place: the focused button moves with its row and keeps focus.
  const draw = () => {
    const state = ballot.state();
    const titles = new Map(state.options.map((o) => [o.id, o.title]));
    const active = document.activeElement;
    const focused = active && list.contains(active) ? active : null;
    order.forEach((id, index) => {
      const row = rows.get(id);
      if (list.children[index] !== row.li) list.insertBefore(row.li, list.children[index] || null);
      row.pos.textContent = String(index + 1);
      const title = titles.get(id);
      row.title.textContent = title;
      row.up.setAttribute('aria-label', gettext('Move up: %(title)s', { title }));
      row.down.setAttribute('aria-label', gettext('Move down: %(title)s', { title }));
      row.up.disabled = index === 0;
      row.down.disabled = index === order.length - 1;
    });
    if (focused && document.activeElement !== focused && !focused.disabled) focused.focus({ preventScroll: true });
    if (button) {
      const saved = Array.isArray(state.ballot) && state.ballot.length === order.length && !dirty;
      savedNote.hidden = !saved;
    }
  };

  return {
    mount(container, c) {
      ctx = c;
      const state = ctx.state;
      fromBallot(state);
      const method = (state.round.settings || {}).method || 'borda';
      const counted = gettext('Counted with %(method)s.', { method: rankMethods()[method] || method });
      container.append(h('p', { class: 'hint' }, gettext('Drag the ideas into your order, or use the arrows. Most important first.'), ' ',
        h('span', { class: 'method-name', id: 'rank-method' }, counted)));
      list = h('ol', { class: 'rank-list', id: 'rank-list' });
      for (const id of order) {
        const move = (delta) => {
          const index = order.indexOf(id);
          const j = index + delta;
          if (j < 0 || j >= order.length) return;
          [order[index], order[j]] = [order[j], order[index]];
          const btn = rows.get(id)[delta < 0 ? 'up' : 'down'];
          moved();
          if (!btn.disabled) btn.focus();
        };
        const row = {
          pos: h('span', { class: 'pos' }),
          title: h('span', { class: 'title' }),
          up: h('button', { type: 'button', class: 'round-btn up', onclick: () => move(-1) }, '↑'),
          down: h('button', { type: 'button', class: 'round-btn down', onclick: () => move(1) }, '↓'),
        };
        row.li = h('li', { dataset: { ideaId: id } }, h('span', { class: 'handle', 'aria-hidden': 'true' }), row.pos, row.title, row.up, row.down);
        rows.set(id, row);
        list.append(row.li);
      }
      container.append(list);
      if (window.Sortable) {
        sortable = window.Sortable.create(list, {
          handle: '.handle', animation: 150,
          onEnd: () => {
            order = [...list.children].map((li) => Number(li.dataset.ideaId));
            moved();
          },
        });
      }
      if (ballot.anonymous()) {
        submit = ballot.submitBox(() => [...order]);
        container.append(submit.box);
      } else {
        button = h('button', { type: 'button', class: 'primary big', id: 'submit-ranking' }, gettext('Save my ranking'));
        button.addEventListener('click', () => {
          ctx.showError('');
          const roundId = ballot.state().round.id;
          const sent = [...order];
          ctx.live.submit('submit_ranking', { round_id: roundId, order: sent }, (resp) => {
            const now = ctx.current();
            if (resp && resp.ok) {
              if (now.round && now.round.id === roundId) { now.ballot = resp.ballot; dirty = false; ctx.render(); }
            } else if (resp) { ctx.showError(resp.error.message); }
          });
        });
        savedNote = h('p', { class: 'saved-note', id: 'ranking-saved', hidden: true }, gettext('Your ranking is saved. You can change it until the round closes.'));
        container.append(button, savedNote);
      }
      draw();
      if (submit) submit.update();
    },
    update() {
      // A saved ranking (from this phone's answer or another device) replaces an unchanged order.
      if (!dirty) fromBallot(ballot.state());
      draw();
      if (submit) submit.update();
    },
    destroy() {
      if (sortable) sortable.destroy();
      sortable = null;
      rows.clear();
    },
  };
}

export default votingKind({
  emptyBallot: () => [],
  phone,
  // A new title is drawn in place; only other ideas make a new list (and drop an unsaved order).
  optionsKey: (state) => (state.options || []).map((o) => o.id).join(','),
  chart: 'bar',
  methods: rankMethods,
  // The console's badge for how the round is counted.
  mode: (settings) => gettext('Counted with %(method)s', { method: rankMethods()[settings.method] || settings.method }),
});
