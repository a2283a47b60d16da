// Worksheets edited together: each field saves with the version it started from. If someone
// else saved in between, the server refuses and sends their text; both texts are shown so the
// writer can merge them, and nothing typed is lost. A field of type "table" (the first steps:
// actor, contribution, when) is edited row by row, each cell a labelled input, and saved whole
// by the same rule.
import { gettext } from './i18n.js';
import { h, RETRY_LATER } from './live.js';

const SAVE_DELAY_MS = 1200;
const CELL_MAX = 500;
const ROWS_MAX = 30;

const filled = (rows) => rows.filter((r) => r.some((c) => c !== ''));
const sameRows = (a, b) => JSON.stringify(filled(a)) === JSON.stringify(filled(b));

// A table field: a row of labelled inputs per row, rows added and removed; ``onChange`` hears
// of typing, ``onRemove`` of a removed row.
function tableEditor(id, f, editable, { onChange, onRemove }) {
  const box = h('div', { class: 'ws-rows', id, dataset: { key: f.key } });
  const addButton = editable ? h('button', { type: 'button', class: 'small add-row' }, gettext('Add a row')) : null;

  function rowView(cells, n) {
    const inputs = f.columns.map((label, c) => {
      // Two lines a cell: a contribution is often a sentence, and a phone shows it whole.
      const input = h('textarea', { id: `${id}-${n}-${c}`, rows: 2, maxlength: CELL_MAX, readonly: !editable, dataset: { column: c } });
      input.value = cells[c] || '';
      return h('div', { class: 'ws-cell' }, h('label', { for: input.id }, label), input);
    });
    const remove = editable ? h('button', { type: 'button', class: 'small remove-row', 'aria-label': gettext('Remove row %(n)s', { n: n + 1 }),
      onclick: () => { const row = remove.closest('.ws-row'); row.remove(); renumber(); onRemove(); } }, gettext('Remove')) : null;
    return h('fieldset', { class: 'ws-row' }, h('legend', {}, gettext('Row %(n)s', { n: n + 1 })), h('div', { class: 'ws-cells' }, inputs), remove);
  }

  function renumber() {
    [...box.querySelectorAll('.ws-row')].forEach((row, n) => {
      row.querySelector('legend').textContent = gettext('Row %(n)s', { n: n + 1 });
      const remove = row.querySelector('.remove-row');
      if (remove) remove.setAttribute('aria-label', gettext('Remove row %(n)s', { n: n + 1 }));
    });
    if (addButton) addButton.disabled = box.querySelectorAll('.ws-row').length >= ROWS_MAX;
  }

  function render(rows) {
    // An editable table always offers one row to write in; an empty one is saved only once filled in.
    const shown = rows.length || !editable ? rows : [f.columns.map(() => '')];
    const focused = box.contains(document.activeElement) ? document.activeElement.id : null;
    box.replaceChildren(...shown.map((cells, n) => rowView(cells, n)));
    if (!shown.length) box.append(h('p', { class: 'muted' }, gettext('No rows yet.')));
    renumber();
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  if (addButton) {
    addButton.addEventListener('click', () => {
      const n = box.querySelectorAll('.ws-row').length;
      if (n >= ROWS_MAX) return;
      const row = rowView(f.columns.map(() => ''), n);
      box.append(row);
      renumber();
      row.querySelector('textarea').focus();
    });
  }
  box.addEventListener('input', onChange);
  render(f.rows || []);
  return {
    box, addButton, render,
    rows: () => [...box.querySelectorAll('.ws-row')].map((row) => [...row.querySelectorAll('textarea')].map((i) => i.value)),
  };
}

export function mountWorksheets(container, sheets, { send, canEdit = () => true }) {
  const fields = new Map(); // `${sheetId}:${key}` -> state

  function fieldKey(sheetId, key) { return `${sheetId}:${key}`; }

  // What the field holds now, whether it differs from what was saved, and the payload to save it.
  const current = (st) => (st.table ? st.table.rows() : st.textarea.value);
  const unsaved = (st) => (st.table ? !sameRows(st.table.rows(), st.savedRows) : st.textarea.value !== st.savedText);

  function stored(st, field) {
    if (st.table) { st.savedRows = field.rows || []; } else { st.savedText = field.text; }
  }

  function save(st) {
    clearTimeout(st.timer);
    // One save of a field at a time: a second one sent before the first is acked would start
    // from the same version and clash with this writer's own text. It follows the first.
    if (st.inFlight) { st.again = true; return; }
    if (!unsaved(st) && !st.conflict) return;
    st.status.textContent = gettext('Saving…');
    const body = st.table ? { rows: filled(current(st)) } : { text: current(st) };
    st.inFlight = true;
    send('edit_worksheet', { worksheet_id: st.sheetId, key: st.key, ...body, base_version: st.version }, (resp) => {
      st.inFlight = false;
      const again = st.again;
      st.again = false;
      if (resp && resp.ok) {
        st.version = resp.field.version; stored(st, resp.field); st.conflict = null;
        st.conflictBox.hidden = true;
        st.status.textContent = gettext('Saved ✓');
        if (again) save(st);
      } else if (resp && resp.error && resp.error.code === 'edit_conflict') {
        const cur = resp.error.details.current;
        st.conflict = cur; st.version = cur.version;
        // A table's ``text`` is its rows written out by the server.
        st.conflictText.textContent = cur.text;
        st.conflictWho.textContent = cur.updated_by
          ? gettext('%(name)s changed this field too. Their text:', { name: cur.updated_by })
          : gettext('Someone else changed this field too. Their text:');
        st.conflictBox.hidden = false;
        st.status.textContent = resp.error.message;
      } else if (resp && RETRY_LATER.has(resp.error.code)) {
        // Too fast or too busy for the server: the text stays here and is saved again later.
        st.status.textContent = resp.error.message;
        clearTimeout(st.timer);
        st.timer = setTimeout(() => save(st), 1000 * Math.max(1, Number(resp.error.retry_after) || 5));
      } else if (resp) {
        st.status.textContent = resp.error.message;
      }
    });
  }

  const later = (st) => { if (st.conflict) return; clearTimeout(st.timer); st.timer = setTimeout(() => save(st), SAVE_DELAY_MS); };

  for (const sheet of sheets) {
    const editable = canEdit(sheet);
    const box = h('article', { class: editable ? 'worksheet card' : 'worksheet card read-only', dataset: { worksheetId: sheet.id } },
      h('h2', {}, `${sheet.position}. ${sheet.idea}`), sheet.group ? h('p', { class: 'sheet-group' }, sheet.group) : null);
    for (const f of sheet.fields) {
      const id = `ws-${sheet.id}-${f.key}`;
      const status = h('span', { class: 'field-status muted', 'aria-live': 'polite' });
      const conflictText = h('pre', { class: 'conflict-text' });
      const conflictWho = h('span');
      const st = { sheetId: sheet.id, key: f.key, version: f.version, savedText: f.text, savedRows: f.rows || [], status, conflict: null, conflictText, conflictWho, timer: null };
      let editor;
      if (f.type === 'table') {
        st.table = tableEditor(id, f, editable, { onChange: () => later(st), onRemove: () => save(st) });
        const heading = h('span', { class: 'ws-label', id: `${id}-label` }, f.label);
        st.table.box.setAttribute('role', 'group');
        st.table.box.setAttribute('aria-labelledby', heading.id);
        editor = [heading, st.table.box, st.table.addButton];
        // Saved when the writer leaves the table (not when moving from one of its cells to another).
        st.table.box.addEventListener('focusout', (e) => { if (!st.conflict && !st.table.box.contains(e.relatedTarget)) save(st); });
      } else {
        const textarea = h('textarea', { id, rows: 5, maxlength: 5000, readonly: !editable, dataset: { key: f.key } });
        textarea.value = f.text;
        st.textarea = textarea;
        textarea.addEventListener('input', () => later(st));
        textarea.addEventListener('blur', () => { if (!st.conflict) save(st); });
        editor = [h('label', { for: id }, f.label), textarea];
      }
      const useTheirs = h('button', { type: 'button', class: 'small', onclick: () => {
        if (st.table) { st.table.render(st.conflict.rows || []); st.savedRows = st.conflict.rows || []; } else { st.textarea.value = st.conflict.text; st.savedText = st.conflict.text; }
        st.conflict = null; st.conflictBox.hidden = true; status.textContent = '';
      } }, gettext('Use their text'));
      const useMine = h('button', { type: 'button', class: 'small primary', onclick: () => save(st) }, gettext('Save my merged text'));
      st.conflictBox = h('div', { class: 'conflict', role: 'alert', hidden: true }, h('p', {}, conflictWho), conflictText, h('div', { class: 'row-actions' }, useTheirs, useMine));
      fields.set(fieldKey(sheet.id, f.key), st);
      box.append(h('div', { class: f.type === 'table' ? 'ws-field ws-table' : 'ws-field' }, editor, status, st.conflictBox));
    }
    container.append(box);
  }

  // Another person saved a field: show it unless this person is in the middle of changing it.
  return function onFieldSaved(msg) {
    const st = fields.get(fieldKey(msg.worksheet_id, msg.key));
    // While this writer's own save is on its way, its ack tells the new version (and another
    // writer's save in between comes back as a conflict showing both).
    if (!st || msg.version <= st.version || st.inFlight) return;
    const here = st.table ? st.table.box.contains(document.activeElement) : document.activeElement === st.textarea;
    if (here && unsaved(st)) return; // their save will conflict and show both texts
    st.version = msg.version; stored(st, msg);
    // A table already showing these rows keeps its own empty rows (one just added, say).
    if (st.table) { if (!sameRows(st.table.rows(), msg.rows || [])) st.table.render(msg.rows || []); } else st.textarea.value = msg.text;
    st.status.textContent = msg.updated_by ? gettext('Saved (%(name)s)', { name: msg.updated_by }) : gettext('Saved');
  };
}
