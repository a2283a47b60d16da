// The parts of the day every screen shares: the round's countdown (owned by the server, so
// every screen shows the same time) and the agenda's "now" and "next" items.
import { gettext } from './i18n.js';
import { h } from './live.js';

export function formatClock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return hours ? `${hours}:${pad(minutes)}:${pad(s % 60)}` : `${minutes}:${pad(s % 60)}`;
}

// A countdown drawn into ``el`` from the server's timer payload. A running timer counts to
// ``ends_at``, corrected by how far this device's clock is from the server's (``server_now``
// minus the local time when the payload arrived); a paused one shows what is left.
export class Countdown {
  constructor(el, { low = 60, labels = {} } = {}) {
    this.el = el;
    this.low = low;
    this.labels = { paused: gettext('paused'), done: gettext("time's up"), ...labels };
    this.timer = null;
    this.offset = 0;
    this.interval = null;
  }

  set(timer) {
    const active = timer && (timer.running ? Boolean(timer.ends_at) : timer.remaining !== null && timer.remaining !== undefined);
    this.timer = active ? timer : null;
    if (this.timer && this.timer.server_now) this.offset = Date.parse(this.timer.server_now) - Date.now();
    clearInterval(this.interval);
    this.interval = this.timer && this.timer.running ? setInterval(() => this.draw(), 250) : null;
    this.draw();
  }

  remaining() {
    if (!this.timer) return null;
    if (!this.timer.running) return Number(this.timer.remaining);
    return Math.max(0, (Date.parse(this.timer.ends_at) - (Date.now() + this.offset)) / 1000);
  }

  draw() {
    const left = this.remaining();
    this.el.hidden = left === null;
    if (left === null) { this.el.textContent = ''; delete this.el.dataset.state; return; }
    const state = !this.timer.running ? 'paused' : left <= 0 ? 'done' : left <= this.low ? 'low' : 'running';
    this.el.dataset.state = state;
    const clock = h('span', { class: 'clock' }, formatClock(left));
    const note = state === 'paused' ? this.labels.paused : state === 'done' ? this.labels.done : null;
    this.el.replaceChildren(clock, note ? h('span', { class: 'clock-note' }, note) : '');
    if (state === 'done') { clearInterval(this.interval); this.interval = null; }
  }
}

// The agenda items marked "now" and "next" (``next`` is the first item before the day starts).
export function nowNext(agenda) {
  const items = (agenda && agenda.items) || [];
  const byId = new Map(items.map((i) => [i.id, i]));
  return { now: byId.get(agenda && agenda.now) || null, next: byId.get(agenda && agenda.next) || null };
}

function itemText(item) {
  return [item.start, item.title].filter(Boolean).join(' ');
}

// Draw "Now: … · Next: …" into ``el``; hidden when the workshop has no agenda.
export function drawAgenda(el, agenda, labels = { now: gettext('Now'), next: gettext('Next') }) {
  const { now, next } = nowNext(agenda);
  el.hidden = !now && !next;
  el.replaceChildren(
    now ? h('span', { class: 'agenda-now' }, h('span', { class: 'agenda-label' }, labels.now), ' ', itemText(now)) : '',
    next ? h('span', { class: 'agenda-next' }, h('span', { class: 'agenda-label' }, labels.next), ' ', itemText(next)) : '',
  );
}
