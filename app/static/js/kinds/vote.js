// What every voting kind shares: the kind object built from its parts, and on the phone the
// ballot (a named round sends each change at once; an anonymous one keeps a draft on the phone
// until "Submit my vote"), the group note, the "your vote is in" note and the closed results.
import { gettext } from '../i18n.js';
import { h } from '../live.js';
import { phoneClosed } from './standings.js';
import { consoleVote } from './vote_console.js';
import { displayVote } from './vote_display.js';

export function clone(value) { return JSON.parse(JSON.stringify(value)); }

export function nonZero(ballot) {
  const out = {};
  for (const [k, v] of Object.entries(ballot)) if (v) out[k] = v;
  return Object.keys(out).length ? out : null;
}

export function scaleOf(settings) {
  const lo = Number(settings.scale_min ?? 1);
  const hi = Number(settings.scale_max ?? 5);
  return Array.from({ length: hi - lo + 1 }, (_, k) => lo + k);
}

// The ideas voted on, as a phone's view key: other ideas (or titles) need another list.
export function optionsKey(state) {
  return (state.options || []).map((o) => `${o.id}:${o.title}`).join(',');
}

// A voting kind from its parts:
//   emptyBallot()          the ballot before any vote
//   phone(ballot)          a new view of the open round's input; ``ballot`` is the phone's ballot
//                          (see phoneVote below)
//   optionsKey(state)      (optional) what of the options forces a new phone view
//   scoreText(s), detail(s), tallyDetail(s), chart, console: {...}   see vote_console.js,
//                          vote_display.js and standings.js
export function votingKind(parts) {
  const kind = {
    ...parts,
    voting: true,
    phone: () => phoneVote(kind, parts.phone),
    phoneKey: (state) => {
      if (state.round.state !== 'open') return [];
      const anon = (state.round.settings || {}).anonymous;
      return [anon ? `anon:${Boolean(state.voted)}` : 'named', (state.me || {}).group_id, (parts.optionsKey || optionsKey)(state)];
    },
    console: () => consoleVote(kind),
    display: () => displayVote(kind),
  };
  return kind;
}

// The phone's view of a voting round around the kind's own input (``open(ballot)``).
function phoneVote(kind, open) {
  let ctx = null;
  let state = null;
  let inner = null;
  let votePending = 0; // ballot changes sent but not yet answered: the screen shows them already
  let draft = null; // an anonymous round's ballot, kept on this phone until it is submitted
  let submitting = null; // the round whose anonymous ballot is on its way

  const anonymous = () => Boolean((state.round.settings || {}).anonymous);
  const draftKey = () => `tavle-draft:${ctx.code}:${state.round.id}`;

  function getDraft() {
    if (!draft || draft.roundId !== state.round.id) {
      let saved = null;
      try { saved = JSON.parse(localStorage.getItem(draftKey()) || 'null'); } catch (e) { saved = null; }
      draft = { roundId: state.round.id, ballot: saved || kind.emptyBallot() };
    }
    return draft.ballot;
  }

  function setDraft(ballot) {
    draft = { roundId: state.round.id, ballot };
    try { localStorage.setItem(draftKey(), JSON.stringify(ballot)); } catch (e) { /* private mode: memory only */ }
  }

  function clearDraft() {
    try { localStorage.removeItem(draftKey()); } catch (e) { /* nothing kept */ }
    draft = null;
  }

  // This participant's ballot as the screen shows it: the draft in an anonymous round.
  function mine() {
    if (anonymous()) return getDraft();
    return state.ballot || kind.emptyBallot();
  }

  // Change one part of the ballot: at once on screen; sent as ``event`` in a named round, kept
  // on the phone (until "Submit my vote") in an anonymous one.
  function change(event, payload, apply) {
    ctx.showError('');
    if (anonymous()) { setDraft(apply(clone(getDraft()))); ctx.render(); return; }
    const roundId = state.round.id;
    state.ballot = apply(clone(mine()));
    votePending += 1;
    ctx.render();
    ctx.live.submit(event, { round_id: roundId, ...payload }, (resp) => {
      votePending = Math.max(0, votePending - 1);
      const now = ctx.current();
      if (resp && resp.ok) {
        // Taps still on their way were counted from the screen; only the last answer is the whole ballot.
        if (votePending === 0 && now.round && now.round.id === roundId) { now.ballot = resp.ballot; ctx.render(); }
      } else if (resp) { ctx.showError(resp.error.message); ctx.live.sync(); }
    });
  }

  // The "Submit my vote" block of an anonymous round; ``content()`` gives what to send, or null
  // while there is nothing to send yet.
  function submitBox(content) {
    const button = h('button', { type: 'button', class: 'primary big', id: 'submit-vote' }, gettext('Submit my vote'));
    const help = gettext('This vote is anonymous: nothing is sent until you tap “Submit my vote”, and it cannot be changed after that.');
    const box = h('div', { class: 'anon-submit' }, h('p', { class: 'hint' }, help), button);
    const update = () => {
      const busy = submitting === state.round.id;
      button.disabled = busy || content() === null;
      button.textContent = busy ? gettext('Sending…') : gettext('Submit my vote');
    };
    button.addEventListener('click', () => {
      const ballot = content();
      if (ballot === null || submitting) return;
      const roundId = state.round.id;
      submitting = roundId;
      update();
      ctx.showError('');
      ctx.live.submit('submit_ballot', { round_id: roundId, ballot }, (resp) => {
        submitting = null;
        const now = ctx.current();
        if (!now.round || now.round.id !== roundId) return;
        if (resp && (resp.ok || (resp.error && resp.error.code === 'already_voted'))) {
          now.voted = true;
          clearDraft();
          if (!resp.ok) ctx.showError(resp.error.message);
        } else if (resp) {
          ctx.showError(resp.error.message);
        }
        ctx.render();
      });
    });
    update();
    return { box, update };
  }

  const ballot = {
    mine, change, submitBox, getDraft, setDraft,
    anonymous: () => anonymous(),
    state: () => state,
  };

  return {
    mount(container, c) {
      ctx = c;
      state = ctx.state;
      const round = state.round;
      if (round.state !== 'open') { inner = phoneClosed(kind, 'notRevealed'); inner.mount(container, ctx); return; }
      const me = state.me || {};
      if ((round.settings || {}).per_group) {
        if (!me.group) {
          container.append(h('p', { class: 'group-note warn', id: 'group-note' },
            gettext('This round is held in groups and you are not in one yet. Ask the facilitator.')));
          return;
        }
        container.append(h('p', { class: 'group-note', id: 'group-note' }, gettext("%(group)s: you vote on your group's ideas.", { group: me.group })));
      }
      if (anonymous() && state.voted) {
        container.append(h('div', { class: 'voted-note', id: 'vote-in', role: 'status' },
          h('strong', {}, gettext('Your anonymous vote is in.')),
          h('p', {}, gettext('Thank you. The results come when the facilitator shows them.'))));
        return;
      }
      inner = open(ballot);
      inner.mount(container, ctx);
    },
    update(s) {
      state = s;
      if (inner) inner.update(s);
    },
    // A ballot from this participant's other device (or this one's answer): ``false`` leaves
    // the screen alone while this phone still has changes on their way.
    receive(event, msg) {
      if (event !== 'ballot') return true;
      if (anonymous()) { clearDraft(); return true; }
      if (votePending > 0) return false;
      state.ballot = msg.ballot;
      if (inner && inner.ballotArrived) inner.ballotArrived();
      return true;
    },
    destroy() {
      if (inner) inner.destroy();
      inner = null;
    },
  };
}
