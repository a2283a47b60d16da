// The Report page: each section saves itself (after a pause in typing, on leaving it, on ticking
// "In the report") with the version it started from. A save that comes after someone else's is
// refused with their version: both are shown, to keep mine or take theirs, and nothing typed is
// lost. After each save the preview frame is rebuilt. Without this script every section is a
// form of its own and the page works as well, only without autosave and live preview.
import { gettext } from './i18n.js';
import { h, RETRY_LATER } from './live.js';

const SAVE_DELAY_MS = 1200;
const PREVIEW_DELAY_MS = 800;
const CELLS = ['action', 'owner', 'when'];
const CELL_LABELS = { action: () => gettext('Action'), owner: () => gettext('Who'), when: () => gettext('When') };

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const frame = document.getElementById('report-preview');
const previewUrl = frame ? frame.getAttribute('src') : null;
let previewTimer = null;

function refreshPreview() {
  if (!frame) return;
  clearTimeout(previewTimer);
  previewTimer = setTimeout(() => { frame.src = `${previewUrl}?v=${Date.now()}`; }, PREVIEW_DELAY_MS);
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

class Section {
  constructor(li) {
    this.li = li;
    this.form = li.querySelector('form.section-form');
    this.url = li.dataset.url;
    this.kind = li.dataset.kind;
    this.version = Number(li.dataset.version);
    this.status = li.querySelector('[data-status]');
    this.box = li.querySelector('[data-conflict]');
    this.boxWho = li.querySelector('[data-conflict-who]');
    this.boxText = li.querySelector('[data-conflict-text]');
    this.rows = li.querySelector('[data-rows]');
    this.timer = null;
    this.inflight = null;
    this.again = false;
    // A page sent back with a refusal holds what was typed, not what is stored: it is unsaved.
    this.saved = this.status.dataset.kind === 'error' ? null : this.read();
    this.conflict = this.box && !this.box.hidden ? {} : null;
    this.wire();
  }

  field(name) { return this.form.elements.namedItem(name); }

  read() {
    const state = { title: this.field('title').value, included: this.field('included').checked };
    const body = this.field('body');
    if (body) state.body = body.value;
    const syntheses = this.form.querySelectorAll('[data-synthesis]');
    if (syntheses.length) {
      state.data = { syntheses: {} };
      syntheses.forEach((t) => { state.data.syntheses[t.dataset.synthesis] = t.value; });
    }
    if (this.rows) {
      state.data = {
        rows: [...this.rows.querySelectorAll('[data-row]')].map((tr) => Object.fromEntries(
          CELLS.map((c) => [c, tr.querySelector(`[data-cell="${c}"]`).value]))),
      };
    }
    return state;
  }

  dirty() { return !same(this.read(), this.saved); }

  setStatus(text, kind) {
    this.status.textContent = text;
    this.status.dataset.kind = kind;
  }

  updateHints() {
    const state = this.read();
    this.li.classList.toggle('left-out', !state.included);
    const hint = this.li.querySelector('[data-empty-hint]');
    if (!hint) return;
    const rows = (state.data && state.data.rows) || [];
    const empty = !(state.body || '').trim() && !rows.some((r) => CELLS.some((c) => r[c].trim()));
    hint.hidden = !(empty && state.included);
  }

  schedule() {
    this.updateHints();
    if (this.conflict) return;
    if (this.dirty()) this.setStatus(gettext('Not saved yet'), 'pending');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  retry(seconds) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), 1000 * Math.max(1, Number(seconds) || 5));
  }

  async save({ force = false } = {}) {
    clearTimeout(this.timer);
    if (this.inflight) {
      this.again = true;
      return this.inflight;
    }
    if (this.conflict && !force) return undefined;
    const state = this.read();
    if (!force && same(state, this.saved)) return undefined;
    this.setStatus(gettext('Saving…'), 'saving');
    this.inflight = this.send(state);
    try {
      await this.inflight;
    } finally {
      this.inflight = null;
    }
    if (this.again) {
      this.again = false;
      return this.save();
    }
    return undefined;
  }

  async send(state) {
    let payload;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf },
        body: JSON.stringify({ ...state, base_version: this.version }),
      });
      payload = await response.json();
    } catch (err) {
      this.setStatus(gettext('Not saved: the server cannot be reached. Your text stays here and is sent again in a moment.'), 'error');
      this.retry(5);
      return;
    }
    if (payload.ok) {
      this.version = payload.section.version;
      this.field('base_version').value = String(this.version);
      this.saved = state;
      this.conflict = null;
      if (this.box) this.box.hidden = true;
      this.setStatus(gettext('Saved ✓'), 'saved');
      this.updateHints();
      this.renameButtons(payload.section.title || payload.section.default_title);
      refreshPreview();
    } else if (payload.error && payload.error.code === 'edit_conflict') {
      this.showConflict(payload.error.details.current, payload.error.message);
    } else if (payload.error && RETRY_LATER.has(payload.error.code)) {
      this.setStatus(payload.error.message, 'error');
      this.retry(payload.error.retry_after);
    } else {
      this.setStatus(gettext('Not saved: %(message)s', { message: payload.error ? payload.error.message : '' }), 'error');
    }
  }

  renameButtons(title) {
    // "Move up: <title>": the buttons below the section say which section they move.
    for (const button of this.li.querySelectorAll('.section-moves button[aria-label]')) {
      const was = button.dataset.title || '';
      const label = button.getAttribute('aria-label');
      if (was && label.endsWith(was)) button.setAttribute('aria-label', label.slice(0, label.length - was.length) + title);
      button.dataset.title = title;
    }
  }

  theirs(current) {
    const parts = [];
    const title = current.title || this.field('title').placeholder;
    if (title !== this.read().title) parts.push(gettext('Title: %(title)s', { title }), '');
    if (current.body) parts.push(current.body);
    for (const text of Object.values(current.syntheses || {})) parts.push('', text);
    for (const row of current.rows || []) parts.push(CELLS.map((c) => row[c]).join(' | '));
    return parts.join('\n').trim();
  }

  showConflict(current, message) {
    this.conflict = current;
    this.version = current.version;
    this.field('base_version').value = String(this.version);
    this.boxWho.textContent = current.updated_by
      ? gettext('%(name)s saved this section meanwhile. Their version:', { name: current.updated_by })
      : gettext('Someone else saved this section meanwhile. Their version:');
    this.boxText.textContent = this.theirs(current);
    this.box.hidden = false;
    this.setStatus(message, 'conflict');
  }

  keepMine() {
    this.conflict = null;
    this.box.hidden = true;
    this.save({ force: true });
  }

  takeTheirs() {
    const current = this.conflict || {};
    if (!('version' in current)) {
      window.location.reload();
      return;
    }
    this.field('title').value = current.title || this.field('title').placeholder;
    this.field('included').checked = Boolean(current.included);
    if (this.field('body')) this.field('body').value = current.body || '';
    this.form.querySelectorAll('[data-synthesis]').forEach((t) => {
      t.value = (current.syntheses || {})[t.dataset.synthesis] || '';
    });
    if (this.rows) {
      this.rows.replaceChildren();
      for (const row of current.rows || []) this.addRow(row);
    }
    this.saved = this.read();
    this.conflict = null;
    this.box.hidden = true;
    this.setStatus(gettext('Their version is in place.'), 'saved');
    this.updateHints();
  }

  renumberRows() {
    const rows = [...this.rows.querySelectorAll('[data-row]')];
    rows.forEach((tr, n) => {
      for (const c of CELLS) {
        const input = tr.querySelector(`[data-cell="${c}"]`);
        input.name = `rows-${n}-${c}`;
        input.setAttribute('aria-label', gettext('%(column)s, row %(num)s', { column: CELL_LABELS[c](), num: n + 1 }));
      }
      const remove = tr.querySelector('[data-remove-row]');
      remove.value = String(n);
      remove.setAttribute('aria-label', gettext('Remove row %(num)s', { num: n + 1 }));
    });
    this.form.querySelector('[data-row-count]').value = String(rows.length);
  }

  addRow(values = {}) {
    const limits = { action: 500, owner: 200, when: 100 };
    const cells = CELLS.map((c) => {
      const input = h('input', { type: 'text', maxlength: limits[c], placeholder: CELL_LABELS[c](), dataset: { cell: c } });
      input.value = values[c] || '';
      return h('td', {}, input);
    });
    const remove = h('button', { type: 'submit', class: 'small', name: 'remove_row', dataset: { removeRow: '' } }, '×');
    const tr = h('tr', { dataset: { row: '' } }, ...cells, h('td', {}, remove));
    this.rows.append(tr);
    this.renumberRows();
    return tr;
  }

  wire() {
    this.form.addEventListener('input', () => this.schedule());
    this.form.addEventListener('change', (event) => {
      if (event.target === this.field('included')) this.save();
    });
    this.form.addEventListener('focusout', () => {
      if (!this.conflict && this.dirty()) this.save();
    });
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const by = event.submitter;
      if (by && by.hasAttribute('data-keep-mine')) this.keepMine();
      else if (by && by.hasAttribute('data-add-row')) {
        this.addRow().querySelector('input').focus();
      } else if (by && by.hasAttribute('data-remove-row')) {
        by.closest('[data-row]').remove();
        this.renumberRows();
        this.save();
      } else {
        this.save();
      }
    });
    const take = this.li.querySelector('[data-take-theirs]');
    if (take) take.addEventListener('click', (event) => { event.preventDefault(); this.takeTheirs(); });
  }
}

const sections = [...document.querySelectorAll('.report-section')].map((li) => new Section(li));

async function flushAll() {
  await Promise.all(sections.map((s) => s.save()));
}

// Moving, deleting and adding reload the page: what is typed elsewhere is saved first.
for (const form of document.querySelectorAll('form[data-flush-first], form[data-options-form]')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    await flushAll();
    form.submit();
  });
}

window.addEventListener('beforeunload', (event) => {
  if (sections.some((s) => s.inflight || (s.saved !== null && s.dirty() && !s.conflict))) {
    event.preventDefault();
    event.returnValue = '';
  }
});
