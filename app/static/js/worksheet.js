// Worksheets edited together: each field saves with the version it started from. If someone
// else saved in between, the server refuses and sends their text; both texts are shown so the
// writer can merge them, and nothing typed is lost.
import { gettext } from './i18n.js';
import { h, RETRY_LATER } from './live.js';

const SAVE_DELAY_MS = 1200;

export function mountWorksheets(container, sheets, { send, canEdit = () => true }) {
  const fields = new Map(); // `${sheetId}:${key}` -> state

  function fieldKey(sheetId, key) { return `${sheetId}:${key}`; }

  function save(st) {
    clearTimeout(st.timer);
    const text = st.textarea.value;
    if (text === st.savedText && !st.conflict) return;
    st.status.textContent = gettext('Saving…');
    send('edit_worksheet', { worksheet_id: st.sheetId, key: st.key, text, base_version: st.version }, (resp) => {
      if (resp && resp.ok) {
        st.version = resp.field.version; st.savedText = resp.field.text; st.conflict = null;
        st.conflictBox.hidden = true;
        st.status.textContent = gettext('Saved ✓');
      } else if (resp && resp.error && resp.error.code === 'edit_conflict') {
        const cur = resp.error.details.current;
        st.conflict = cur; st.version = cur.version;
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

  for (const sheet of sheets) {
    const editable = canEdit(sheet);
    const box = h('article', { class: editable ? 'worksheet card' : 'worksheet card read-only', dataset: { worksheetId: sheet.id } },
      h('h2', {}, `${sheet.position}. ${sheet.idea}`), sheet.group ? h('p', { class: 'sheet-group' }, sheet.group) : null);
    for (const f of sheet.fields) {
      const id = `ws-${sheet.id}-${f.key}`;
      const textarea = h('textarea', { id, rows: 5, maxlength: 5000, readonly: !editable, dataset: { key: f.key } });
      textarea.value = f.text;
      const status = h('span', { class: 'field-status muted', 'aria-live': 'polite' });
      const conflictText = h('pre', { class: 'conflict-text' });
      const conflictWho = h('span');
      const st = { sheetId: sheet.id, key: f.key, version: f.version, savedText: f.text, textarea, status, conflict: null, conflictText, conflictWho, timer: null };
      const useTheirs = h('button', { type: 'button', class: 'small', onclick: () => { textarea.value = st.conflict.text; st.savedText = st.conflict.text; st.conflict = null; st.conflictBox.hidden = true; status.textContent = ''; } }, gettext('Use their text'));
      const useMine = h('button', { type: 'button', class: 'small primary', onclick: () => save(st) }, gettext('Save my merged text'));
      st.conflictBox = h('div', { class: 'conflict', role: 'alert', hidden: true }, h('p', {}, conflictWho), conflictText, h('div', { class: 'row-actions' }, useTheirs, useMine));
      textarea.addEventListener('input', () => { if (st.conflict) return; clearTimeout(st.timer); st.timer = setTimeout(() => save(st), SAVE_DELAY_MS); });
      textarea.addEventListener('blur', () => { if (!st.conflict) save(st); });
      fields.set(fieldKey(sheet.id, f.key), st);
      box.append(h('div', { class: 'ws-field' }, h('label', { for: id }, f.label), textarea, status, st.conflictBox));
    }
    container.append(box);
  }

  // Another person saved a field: show it unless this person is in the middle of changing it.
  return function onFieldSaved(msg) {
    const st = fields.get(fieldKey(msg.worksheet_id, msg.key));
    if (!st || msg.version <= st.version) return;
    const typing = document.activeElement === st.textarea && st.textarea.value !== st.savedText;
    if (typing) return; // their save will conflict and show both texts
    st.version = msg.version; st.savedText = msg.text; st.textarea.value = msg.text;
    st.status.textContent = msg.updated_by ? gettext('Saved (%(name)s)', { name: msg.updated_by }) : gettext('Saved');
  };
}
