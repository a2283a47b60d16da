// Worksheets: each group writes out one of the best ideas under the round's headings, the
// fields saved as they go (see ../worksheet.js for editing together without losing text).
import { formatNumber, gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { mountWorksheets } from '../worksheet.js';
import { phoneClosed } from './standings.js';
import { partsView } from './parts.js';

function phoneOpen() {
  let handlers = [];
  return {
    mount(container, ctx) {
      const state = ctx.state;
      const me = state.me || {};
      const sheets = state.worksheets || [];
      const mine = (s) => s.group_id === null || s.group_id === me.group_id;
      const send = (event, payload, cb) => ctx.live.request(event, payload).then(cb);
      container.append(h('p', { class: 'hint' }, gettext('Write together with your group. Your text is saved as you go.')));
      if (!sheets.length) { container.append(h('p', { class: 'muted' }, gettext('No worksheets yet.'))); return; }
      const own = sheets.filter(mine);
      const others = sheets.filter((s) => !mine(s));
      if (own.length) {
        const box = h('div', { class: 'worksheets', id: 'my-worksheets' });
        container.append(h('h2', {}, gettext("Your group's worksheets")), box);
        handlers.push(mountWorksheets(box, own, { send, canEdit: () => true }));
      }
      if (others.length) {
        // Folded away: the group's own sheets come first, the others can be opened to read.
        const box = h('div', { class: 'worksheets read-only', id: 'other-worksheets' });
        container.append(h('details', { class: 'other-sheets', open: !own.length },
          h('summary', {}, gettext("Other groups' worksheets (read only)"), ` (${formatNumber(others.length)})`), box));
        handlers.push(mountWorksheets(box, others, { send, canEdit: () => false }));
      }
    },
    // A new state (after a reconnect) brings texts saved meanwhile.
    update(state) {
      for (const sheet of state.worksheets || []) {
        for (const f of sheet.fields) {
          handlers.forEach((fn) => fn({ worksheet_id: sheet.id, key: f.key, text: f.text, rows: f.rows, version: f.version, updated_by: f.updated_by }));
        }
      }
    },
    // Another person saved a field.
    fieldSaved(msg) { handlers.forEach((fn) => fn(msg)); },
    destroy() { handlers = []; },
  };
}

function consoleView() {
  let ctx = null;
  let state = null;
  const drawMeta = () => { ctx.$('live-meta').textContent = ngettext('%(n)s worksheet', '%(n)s worksheets', (state.worksheets || []).length); };
  const drawSheets = () => {
    const el = ctx.$('live-worksheets');
    const round = state.round;
    ctx.keepFocus(el, () => {
      el.replaceChildren();
      el.append(h('p', {}, h('a', { class: 'button primary', id: 'worksheets-link', href: ctx.ideaUrl(ctx.urls.worksheets, round.id) }, gettext('Open the worksheets'))));
      const sheets = state.worksheets || [];
      if (!sheets.length) { el.append(h('p', { class: 'muted' }, gettext('The worksheets are made when the round opens.'))); return; }
      el.append(h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, gettext('Idea')), h('th', { scope: 'col' }, gettext('Group')),
          h('th', { scope: 'col' }, gettext('Written')))),
        h('tbody', {}, sheets.map((s) => h('tr', { dataset: { worksheetId: s.id } },
          h('td', {}, formatNumber(s.position)), h('td', {}, s.idea),
          h('td', {}, h('select', { id: `sheet-group-${s.id}`, 'aria-label': gettext('Group for “%(idea)s”', { idea: s.idea }),
            onchange: (e) => ctx.act('assign_worksheet', { worksheet_id: s.id, group_id: e.target.value || null }) },
          h('option', { value: '' }, gettext('Any group')), (state.groups || []).map((g) => h('option', { value: g.id, selected: g.id === s.group_id }, g.name)))),
          h('td', {}, gettext('%(n)s of %(total)s', { n: formatNumber(s.fields.filter((f) => f.text.trim()).length), total: formatNumber(s.fields.length) })))))));
    });
  };
  const parts = { meta: drawMeta, sheets: drawSheets };
  return partsView(parts, (s, c) => { if (c) ctx = c; state = s; });
}

function displayView() {
  let ctx = null;
  const draw = (state) => {
    const { meta, board } = ctx.parts;
    const sheets = state.worksheets || [];
    meta.textContent = ngettext('%(n)s idea worked out in groups', '%(n)s ideas worked out in groups', sheets.length);
    board.hidden = false;
    board.className = 'board sheet-board';
    board.replaceChildren(...sheets.map((sheet) => {
      const written = sheet.fields.filter((f) => f.text.trim()).length;
      return h('article', { class: 'board-card', dataset: { worksheetId: sheet.id } },
        h('h2', {}, h('span', { class: 'item-no' }, `${formatNumber(sheet.position)}.`), ' ', sheet.idea),
        h('p', { class: 'group-line' }, sheet.group || gettext('Any group')),
        h('p', { class: 'muted' }, ngettext('%(n)s of %(total)s heading written', '%(n)s of %(total)s headings written', sheet.fields.length,
          { n: formatNumber(written), total: formatNumber(sheet.fields.length) })));
    }));
  };
  return {
    mount(container, c) { ctx = c; draw(ctx.state); },
    update(state) { draw(state); },
    destroy() {},
  };
}

const kind = {
  voting: false,
  // Worksheets are written together, so nobody "submits" one: the console shows no count.
  submits: false,
  roundLinks: (round, urls, ideaUrl) => [h('a', { href: ideaUrl(urls.worksheets, round.id) }, gettext('Worksheets'))],
  phone: () => {
    let view = null;
    return {
      mount(container, ctx) { view = ctx.state.round.state === 'open' ? phoneOpen() : phoneClosed(kind, 'thanks'); view.mount(container, ctx); },
      update(state) { view.update(state); },
      receive(event, msg) { if (view.fieldSaved) view.fieldSaved(msg); return false; },
      destroy() { view.destroy(); },
    };
  },
  phoneKey: (state) => (state.round.state === 'open'
    ? [(state.me || {}).group_id, (state.worksheets || []).map((s) => `${s.id}:${s.group_id}`).join(',')] : []),
  console: consoleView,
  display: displayView,
  on: {
    // A field saved by someone: the state keeps the newest text (the phone's open fields are
    // told through the view first, so one being typed in is left alone).
    worksheet_field(state, msg, page) {
      const sheet = (state.worksheets || []).find((s) => s.id === msg.worksheet_id);
      const field = sheet && sheet.fields.find((f) => f.key === msg.key);
      if (!field || msg.version <= field.version) return false;
      Object.assign(field, page === 'display' ? { text: msg.text, version: msg.version } : { text: msg.text, version: msg.version, updated_by: msg.updated_by });
      if (msg.rows) field.rows = msg.rows; // a table field's cells
      return page !== 'phone';
    },
  },
};

export default kind;
