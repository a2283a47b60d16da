// Shared client code: the Socket.IO connection, the outbox that re-sends until acked,
// and small DOM helpers that never parse user text as HTML.
import { formatFixed, formatNumber, gettext } from './i18n.js';

const ACK_TIMEOUT_MS = 8000;

// Error codes that mean "not now": the item stays in the outbox and is sent again later.
export const RETRY_LATER = new Set(['rate_limited', 'busy']);

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    // Through the CSSOM: the Content-Security-Policy refuses style attributes set as markup.
    else if (key === 'style') el.style.cssText = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function opId() {
  // crypto.randomUUID needs a secure context; phones on a LAN use plain http.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function rankLabel(s) {
  return s.tied ? `${formatNumber(s.rank)}=` : formatNumber(s.rank);
}

// The ideas after an idea was hidden, merged, shown again or edited: a hidden or merged one
// leaves the list, one shown again comes back in its place (ideas are listed in the order
// they were sent).
export function withIdea(ideas, idea) {
  const others = ideas.filter((i) => i.id !== idea.id);
  if (idea.hidden || idea.merged_into) return others;
  return [...others, idea].sort((a, b) => a.id - b.id);
}

// In a round held in groups each group sees only its own ideas. The server sends a phone only
// its group's ideas; this check covers the moment between a move to another group and the
// sync that follows it.
export function ofMyGroup(state, idea) {
  if (!(state.round.settings || {}).per_group || idea.hidden) return true;
  return idea.group_id !== undefined && idea.group_id === (state.me || {}).group_id;
}

// A score as the page's language writes it: a whole number as it is, else two decimals (4,70).
export function formatScore(value) {
  return Number.isInteger(value) ? formatNumber(value) : formatFixed(value, 2);
}

// Call ``fn`` at most once per ``ms``, after the last call (later calls push it back).
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// Redraw ``container`` with ``draw`` and put the keyboard focus (and the caret) back on the
// element with the same id, so a live update never throws a person out of what they type.
export function keepFocus(container, draw) {
  const active = document.activeElement;
  const id = active && container.contains(active) ? active.id : null;
  const caret = id && typeof active.selectionStart === 'number' ? [active.selectionStart, active.selectionEnd] : null;
  draw();
  if (!id) return;
  const again = document.getElementById(id);
  if (!again || again.disabled) return;
  again.focus({ preventScroll: true });
  if (caret && typeof again.setSelectionRange === 'function') {
    try { again.setSelectionRange(...caret); } catch (e) { /* not a text field */ }
  }
}

// A connection to one namespace for one workshop. Submissions go through an outbox kept in
// localStorage: each has a client-generated op_id, is sent one at a time, and is re-sent after
// a reconnect or a reload until the server acknowledges it (the server applies an op_id once).
//
// ``onSignedOut(message)`` is called once when the server ends this connection's identity (the
// participant's token was revoked, the facilitator logged out or changed the password): the
// server closed the connection, refused to reconnect it, or refused an event with ``SIGNED_OUT``
// codes. The outbox is dropped then, so nothing is sent later under a new identity.
const SIGNED_OUT = ['signed_out', 'not_joined', 'login_required'];

export function connect(namespace, code, { onState, onStatus, onSignedOut, on = {} } = {}) {
  const socket = io(namespace, { auth: { code }, transports: ['websocket', 'polling'] });
  const storeKey = `tavle-outbox:${namespace}:${code}`;
  let outbox = [];
  try { outbox = JSON.parse(localStorage.getItem(storeKey) || '[]'); } catch (e) { outbox = []; }
  const callbacks = new Map();
  let inFlight = null;
  let held = null; // { until, timer, ticker }: the server asked to wait before sending more

  const save = () => {
    try { localStorage.setItem(storeKey, JSON.stringify(outbox)); } catch (e) { /* private mode: memory only */ }
  };
  const status = (kind, text) => onStatus && onStatus(kind, text);
  let ended = false;

  function signedOut(message) {
    if (ended) return;
    ended = true;
    outbox = [];
    save();
    socket.disconnect();
    if (onSignedOut) onSignedOut(message);
    else status('error', message || gettext('Signed out.'));
  }
  const endsIdentity = (response) => response && response.ok === false && response.error && SIGNED_OUT.includes(response.error.code);

  // The server refused for load, not for content ("rate_limited", "busy"): keep the item at the
  // head of the outbox, say when it goes, and send it again after ``retry_after`` seconds.
  function hold(item, error) {
    const seconds = Math.max(1, Math.ceil(Number(error.retry_after) || 5));
    const until = Date.now() + seconds * 1000;
    const tell = () => status('held', { code: error.code, event: item.event, seconds: Math.max(1, Math.ceil((until - Date.now()) / 1000)), message: error.message });
    held = { until, ticker: setInterval(tell, 1000) };
    held.timer = setTimeout(() => { clearInterval(held.ticker); held = null; pump(); }, seconds * 1000);
    tell();
  }

  function pump() {
    if (held) return;
    if (inFlight || !socket.connected || outbox.length === 0) {
      if (!socket.connected && outbox.length) status('offline', outbox.length);
      return;
    }
    const item = outbox[0];
    inFlight = item;
    status('saving', outbox.length);
    socket.timeout(ACK_TIMEOUT_MS).emit(item.event, item.payload, (err, response) => {
      inFlight = null;
      if (err) { // no answer in time: keep it and try again (the op_id makes a repeat harmless)
        setTimeout(pump, 500);
        return;
      }
      if (endsIdentity(response)) { signedOut(response.error.message); return; }
      if (response && response.ok === false && response.error && RETRY_LATER.has(response.error.code)) {
        hold(item, response.error);
        return;
      }
      outbox.shift();
      save();
      const cb = callbacks.get(item.payload.op_id);
      callbacks.delete(item.payload.op_id);
      if (cb) cb(response);
      // Refused for its content: nothing is left to send, but nothing was saved either.
      const refused = response && response.ok === false;
      status(outbox.length ? 'saving' : refused ? 'refused' : 'saved', outbox.length);
      pump();
    });
  }

  function submit(event, payload, callback) {
    const item = { event, payload: { ...payload, op_id: opId() } };
    if (callback) callbacks.set(item.payload.op_id, callback);
    outbox.push(item);
    save();
    pump();
    return item.payload.op_id;
  }

  function request(event, payload = {}) {
    return new Promise((resolve) => {
      socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err, response) => {
        if (!err && endsIdentity(response)) signedOut(response.error.message);
        resolve(err ? { ok: false, error: { code: 'timeout', message: gettext('The server did not answer. Check your connection.') } } : response);
      });
    });
  }

  async function sync() {
    const response = await request('sync');
    if (response && response.ok && onState) onState(response.state);
    return response;
  }

  socket.on('connect', () => { status('online'); sync().then(pump); });
  socket.on('disconnect', (reason) => {
    // Only the server's sign-out closes a connection from the server side.
    if (reason === 'io server disconnect') signedOut();
    else if (!ended) status('offline', outbox.length);
  });
  socket.on('connect_error', (err) => {
    if (err && err.data && SIGNED_OUT.includes(err.data.code)) signedOut(err.data.message);
    else status('error', (err && err.data && err.data.message) || gettext('Cannot reach the server; retrying…'));
  });
  for (const [event, handler] of Object.entries(on)) socket.on(event, handler);
  return { socket, submit, request, sync, pending: () => outbox.length };
}
