// The console's curation of ideas, shared by the kinds that have ideas (a brainstorm's ideas,
// a vote's options): edit, theme, hide, merge and undo a merge. One per console page: what the
// facilitator is in the middle of (the idea being edited, the ideas ticked for merging) is kept
// across live redraws.
import { gettext, ngettext } from '../i18n.js';
import { h, keepFocus } from '../live.js';

export function createCuration({ $, act, current }) {
  let editing = null; // {id, title, details, theme}: the idea being edited
  const selected = new Set(); // ideas ticked for merging
  let mergeTarget = null;
  let mode = null; // 'ideas' (all of a brainstorm's ideas), 'options' (a vote's), or null
  let merges = false; // whether this round lists its merges

  const state = () => current();
  const pool = () => (mode === 'ideas' ? state().ideas : (state().options || []));

  function titleOf(id) {
    const all = [...(state().ideas || []), ...(state().options || [])];
    const idea = all.find((i) => i.id === id);
    return idea ? idea.title : `#${id}`;
  }

  function startEdit(idea) {
    editing = { id: idea.id, title: idea.title, details: idea.details || '', theme: idea.theme || '' };
    renderIdeas();
    const input = $(`edit-title-${idea.id}`);
    if (input) input.focus();
  }

  async function saveEdit(idea) {
    const draft = editing;
    const resp = await act('edit_idea', { idea_id: idea.id, title: draft.title, details: draft.details });
    if (!resp || !resp.ok) return;
    let updated = resp.idea;
    if ((draft.theme || '') !== (idea.theme || '')) {
      const themed = await act('set_theme', { idea_id: idea.id, theme: draft.theme });
      if (!themed || !themed.ok) return;
      updated = themed.idea;
    }
    editing = null;
    const s = state();
    s.ideas = s.ideas.map((i) => (i.id === updated.id ? updated : i));
    s.options = (s.options || []).map((i) => (i.id === updated.id ? updated : i));
    renderIdeas();
    const button = $(`edit-${idea.id}`);
    if (button) button.focus();
  }

  function editItem(idea) {
    const field = (key, label, control) => h('div', { class: 'field' }, h('label', { for: `edit-${key}-${idea.id}` }, label), control);
    const bind = (el, key) => { el.value = editing[key]; el.addEventListener('input', () => { editing[key] = el.value; }); return el; };
    const themes = [...new Set([...(state().ideas || []), ...(state().options || [])].map((i) => i.theme).filter(Boolean))];
    const form = h('form', { class: 'idea-edit', novalidate: true },
      field('title', gettext('Title'), bind(h('input', { id: `edit-title-${idea.id}`, maxlength: 120, required: true }), 'title')),
      field('details', gettext('Details'), bind(h('textarea', { id: `edit-details-${idea.id}`, rows: 3, maxlength: 1000 }), 'details')),
      field('theme', gettext('Theme'), bind(h('input', { id: `edit-theme-${idea.id}`, maxlength: 60, list: 'theme-list', placeholder: gettext('e.g. Data sharing') }), 'theme')),
      h('datalist', { id: 'theme-list' }, themes.map((t) => h('option', { value: t }))),
      h('div', { class: 'row-actions' },
        h('button', { type: 'submit', class: 'primary small', id: `edit-save-${idea.id}` }, gettext('Save')),
        h('button', { type: 'button', class: 'small', id: `edit-cancel-${idea.id}`, onclick: () => { editing = null; renderIdeas(); } }, gettext('Cancel'))));
    form.addEventListener('submit', (event) => { event.preventDefault(); saveEdit(idea); });
    form.addEventListener('keydown', (event) => { if (event.key === 'Escape') { editing = null; renderIdeas(); } });
    return h('li', { class: 'editing', dataset: { ideaId: idea.id } }, form);
  }

  function ideaItem(idea) {
    if (editing && editing.id === idea.id) return editItem(idea);
    const active = !idea.hidden && !idea.merged_into;
    const cls = idea.hidden ? 'hidden-idea' : idea.merged_into ? 'merged-idea' : '';
    const who = idea.attribution;
    return h('li', { class: cls, dataset: { ideaId: idea.id } },
      active
        ? h('input', { type: 'checkbox', class: 'pick', id: `pick-${idea.id}`, checked: selected.has(idea.id), 'aria-label': gettext('Select “%(title)s” for merging', { title: idea.title }),
          onchange: (e) => { if (e.target.checked) selected.add(idea.id); else selected.delete(idea.id); renderMergeBar(); } })
        : h('span', { class: 'pick' }),
      h('div', { class: 'idea-body' },
        h('strong', {}, idea.title), idea.theme ? [' ', h('span', { class: 'badge theme' }, idea.theme)] : null,
        idea.details ? h('p', {}, idea.details) : null,
        who ? h('span', { class: 'muted' }, who) : null,
        idea.merged_into ? h('span', { class: 'muted merged-note' }, gettext('Merged into “%(title)s”', { title: titleOf(idea.merged_into) })) : null),
      h('div', { class: 'idea-actions' },
        h('button', { type: 'button', class: 'small', id: `edit-${idea.id}`, 'aria-label': gettext('Edit “%(title)s”', { title: idea.title }), onclick: () => startEdit(idea) }, gettext('Edit')),
        idea.merged_into ? null : h('button', { type: 'button', class: 'small', id: `hide-${idea.id}`, onclick: () => act('hide_idea', { idea_id: idea.id, hidden: !idea.hidden }) }, idea.hidden ? gettext('Show') : gettext('Hide'))));
  }

  function renderMergeBar() {
    const bar = $('merge-bar');
    const activeIds = new Set(pool().filter((i) => !i.hidden && !i.merged_into).map((i) => i.id));
    for (const id of [...selected]) if (!activeIds.has(id)) selected.delete(id);
    keepFocus(bar, () => {
      bar.replaceChildren();
      bar.hidden = selected.size === 0;
      if (selected.size === 1) { bar.append(h('p', { class: 'muted' }, gettext('Tick another idea to merge it with this one.'))); return; }
      if (selected.size < 2) return;
      const ids = [...selected];
      if (!ids.includes(mergeTarget)) mergeTarget = ids[0];
      const select = h('select', { id: 'merge-target', onchange: (e) => { mergeTarget = Number(e.target.value); } },
        ids.map((id) => h('option', { value: id, selected: id === mergeTarget }, titleOf(id))));
      bar.append(
        h('span', {}, ngettext('%(n)s idea selected.', '%(n)s ideas selected.', ids.length)),
        h('label', { for: 'merge-target' }, gettext('Merge into…')), select,
        h('button', { type: 'button', class: 'primary', id: 'merge-go', onclick: async () => {
          const target = Number(select.value);
          const resp = await act('merge_ideas', { target_id: target, source_ids: ids.filter((id) => id !== target) });
          if (resp && resp.ok) { selected.clear(); state().merges = resp.merges; renderIdeas(); }
        } }, gettext('Merge')),
        h('button', { type: 'button', id: 'merge-clear', onclick: () => { selected.clear(); renderIdeas(); } }, gettext('Clear selection')));
    });
  }

  function renderMerges() {
    const el = $('merges');
    const list = (state().merges || []).filter((m) => !m.undone);
    keepFocus(el, () => {
      el.replaceChildren();
      if (!list.length || !state().round || !merges) return;
      el.append(h('h3', {}, gettext('Merged ideas')), h('ul', { class: 'merge-list' }, list.map((m) => h('li', { class: 'merge-row', dataset: { mergeId: m.id } },
        h('span', {}, `“${m.source_title}” → “${m.target_title}”`),
        h('button', { type: 'button', class: 'small', id: `undo-${m.id}`, 'aria-label': gettext('Undo merging “%(title)s”', { title: m.source_title }), onclick: async () => {
          const resp = await act('undo_merge', { merge_id: m.id });
          if (resp && resp.ok) { state().merges = resp.merges; renderMerges(); }
        } }, gettext('Undo'))))));
    });
  }

  function renderIdeas() {
    const list = $('live-ideas');
    const options = $('live-options');
    const s = state();
    keepFocus(list, () => {
      list.replaceChildren();
      if (mode === 'ideas') list.append(...[...s.ideas].reverse().map(ideaItem));
    });
    keepFocus(options, () => {
      const wasOpen = options.querySelector('details') ? options.querySelector('details').open : false;
      options.replaceChildren();
      if (mode !== 'options' || !(s.options || []).length) return;
      const details = h('details', { class: 'options-box', open: wasOpen || Boolean(editing) || selected.size > 0 },
        h('summary', {}, ngettext('Ideas in this vote (%(n)s): edit, theme, merge', 'Ideas in this vote (%(n)s): edit, theme, merge', s.options.length)),
        h('ul', { class: 'ideas' }, s.options.map(ideaItem)));
      options.append(details);
    });
    renderMergeBar();
    renderMerges();
  }

  return {
    // Draw the round's ideas: ``as`` is 'ideas' (a brainstorm's list), 'options' (a vote's box) or null (none).
    render(as) { mode = as; merges = as !== null; renderIdeas(); },
    renderMerges,
    // No round, or a round without ideas: nothing listed, no merges.
    clear() { mode = null; merges = false; renderIdeas(); },
  };
}
