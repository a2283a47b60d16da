// Brainstorm: participants send ideas; the projector shows them as a wall of notes, the
// console lists them for curation (edit, theme, hide, merge).
import { formatNumber, gettext, ngettext } from '../i18n.js';
import { h, ofMyGroup, withIdea } from '../live.js';
import { phoneClosed } from './standings.js';
import { partsView } from './parts.js';

const chars = (n, max) => `${formatNumber(n)}/${formatNumber(max)}`;

// The ideas this phone sent, marked as the participant's own; kept while the page is open,
// whichever view of the round is on screen.
const myIdeaIds = new Set();

function counter(input, max) {
  const c = h('span', { class: 'counter' }, chars(input.value.length, max));
  input.addEventListener('input', () => {
    c.textContent = chars(input.value.length, max);
    c.classList.toggle('over', input.value.length > max);
  });
  return c;
}

function phoneOpen() {
  let box = null;
  let state = null;
  const drawList = () => {
    const ideas = [...state.ideas].reverse();
    box.replaceChildren(ideas.length
      ? h('ul', { class: 'ideas', id: 'ideas' }, ideas.map((i) => h('li', { class: myIdeaIds.has(i.id) ? 'mine' : '' },
          h('div', {}, h('strong', {}, i.title), i.details ? h('p', {}, i.details) : null,
            i.attribution ? h('span', { class: 'muted' }, i.attribution) : null))))
      : h('p', { class: 'muted' }, gettext('No ideas yet – be the first!')));
  };
  return {
    mount(container, ctx) {
      state = ctx.state;
      const me = state.me || {};
      if ((state.round.settings || {}).per_group) {
        container.append(me.group
          ? h('p', { class: 'group-note', id: 'group-note' }, gettext("%(group)s: you see your group's ideas.", { group: me.group }))
          : h('p', { class: 'group-note warn', id: 'group-note' }, gettext('This round is held in groups and you are not in one yet. Ask the facilitator.')));
      }
      const title = h('input', { id: 'idea-title', name: 'title', maxlength: 120, required: true, autocomplete: 'off', enterkeyhint: 'send' });
      const details = h('textarea', { id: 'idea-details', name: 'details', maxlength: 1000, rows: 3 });
      const form = h('form', { class: 'idea-form', novalidate: true },
        h('label', { for: 'idea-title' }, gettext('Your idea')), title, counter(title, 120),
        h('label', { for: 'idea-details' }, gettext('Details (optional)')), details, counter(details, 1000),
        h('button', { type: 'submit', class: 'primary big' }, gettext('Send idea')));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        ctx.showError('');
        const roundId = state.round.id;
        ctx.live.submit('submit_idea', { round_id: roundId, title: title.value, details: details.value }, (resp) => {
          if (resp && resp.ok) {
            myIdeaIds.add(resp.idea.id);
            const now = ctx.current();
            if (now.round && now.round.id === roundId && !now.ideas.some((i) => i.id === resp.idea.id)) now.ideas.push(resp.idea);
            ctx.setStatus('saved');
            ctx.statusText(gettext('Idea sent ✓'));
            ctx.render();
          } else if (resp) {
            ctx.showError(resp.error.message);
          }
        });
        // Clear at once: the text is safe in the outbox until the server has it.
        title.value = ''; details.value = '';
        title.dispatchEvent(new Event('input'));
        details.dispatchEvent(new Event('input'));
      });
      box = h('div', { id: 'idea-list' });
      container.append(form, h('h2', {}, gettext('Ideas so far')), box);
      drawList();
    },
    // Only the list is drawn again, so a half-written idea keeps its text and focus.
    update(s) { state = s; drawList(); },
    destroy() { box = null; },
  };
}

function consoleView() {
  let ctx = null;
  let state = null;
  const drawMeta = () => {
    const visible = state.ideas.filter((i) => !i.hidden && !i.merged_into).length;
    const hidden = state.ideas.filter((i) => i.hidden).length;
    const merged = state.ideas.filter((i) => !i.hidden && i.merged_into).length;
    ctx.$('live-meta').textContent = [ngettext('%(n)s idea', '%(n)s ideas', visible),
      hidden ? ngettext('%(n)s hidden', '%(n)s hidden', hidden) : null,
      merged ? ngettext('%(n)s merged', '%(n)s merged', merged) : null].filter(Boolean).join(', ');
  };
  const parts = { meta: drawMeta, ideas: () => ctx.curation.render('ideas'), merges: () => ctx.curation.renderMerges() };
  return partsView(parts, (s, c) => { if (c) ctx = c; state = s; });
}

function displayView() {
  let ctx = null;
  const draw = (state) => {
    const { meta, wall } = ctx.parts;
    meta.textContent = ngettext('%(n)s idea', '%(n)s ideas', state.ideas.length);
    wall.hidden = false;
    wall.replaceChildren(...state.ideas.map((idea) => h('div', { class: 'sticky' }, h('strong', {}, idea.title), idea.attribution ? h('span', { class: 'muted' }, idea.attribution) : null)));
  };
  return {
    mount(container, c) { ctx = c; draw(ctx.state); },
    update(state) { draw(state); },
    destroy() {},
  };
}

const kind = {
  voting: false,
  phone: () => {
    let view = null;
    return {
      mount(container, ctx) { view = ctx.state.round.state === 'open' ? phoneOpen() : phoneClosed(kind, null); view.mount(container, ctx); },
      update(state) { view.update(state); },
      destroy() { view.destroy(); },
    };
  },
  phoneKey: (state) => (state.round.state === 'open' ? [(state.me || {}).group_id] : []),
  console: consoleView,
  display: displayView,
  on: {
    // An idea hidden, merged, shown again or edited: the list follows (a vote fetches it all again).
    idea_updated(state, idea, page) {
      if (idea.round_id !== state.round.id) return false;
      if (page === 'phone' && !ofMyGroup(state, idea)) return false;
      state.ideas = withIdea(state.ideas, idea);
      return true;
    },
  },
};

export default kind;
