// The round kinds of the front end, by the name the server gives them (app/rounds/__init__.py):
// a new kind is one module beside this file plus one import line and one entry here.
//
// A kind module exports an object:
//   voting         true for a kind in which participants vote (it then has emptyBallot())
//   emptyBallot()  the ballot of a participant who has not voted yet
//   phone()        a new view for the participant's phone
//   console()      a new view for the facilitator's console
//   display()      a new view for the projector
//   phoneKey(state), consoleKey(state), displayKey(state)
//                  (optional) what else, besides the round, forces a rebuild of that view
//   on             (optional) { event(state, msg, page) -> true to redraw }: the kind's own
//                  Socket.IO events (a comment added, a worksheet field saved, a brainstorm's
//                  idea changed), applied to the page's state; ``page`` is the surface
//                  ('phone', 'console', 'display'); on the console 'recount' also fetches
//                  the counts only a full state carries. A kind without ``idea_updated``
//                  fetches the whole state again when an idea changes (what is voted on).
//   submits, mode(settings), roundLinks(round, urls, ideaUrl)
//                  (optional) the console's "Submitted" count (false: none), a badge for how
//                  the round is counted, links beside the round in the list of rounds
// Each view is an object with mount(container, ctx), update(state) and destroy().
//
// The rebuild-or-refresh contract, the same on every page:
// - The page computes the view key: the round's id and kind, its state on the phone, and the
//   kind's own key for that surface (e.g. a phone's group, the ideas voted on).
// - When the key changes (another round, the round opened or closed, other ideas), the page
//   calls destroy() on the old view, empties what it drew into, and mounts a new view with
//   mount(container, ctx), where ctx.state is the state at that moment.
// - Otherwise the page calls update(state). update() refreshes in place: it changes text,
//   attributes and classes of the elements it made, and never replaces an element that can
//   hold focus, so whatever had focus (a dot's "+", a ranking's up/down button, a star) still
//   has it after a tally arrives or a ballot is acknowledged. Anything a view must keep
//   between updates (a phone's unsaved ranking order, a pairwise round's pair, a chart) lives
//   in the view object, never in the page.
import brainstorm from './brainstorm.js';
import dotVote from './dot_vote.js';
import rank from './rank.js';
import score from './score.js';
import points from './points.js';
import pairwise from './pairwise.js';
import impactEffort from './impact_effort.js';
import comment from './comment.js';
import worksheet from './worksheet.js';
import wordCloud from './word_cloud.js';

export const KINDS = {
  brainstorm,
  dot_vote: dotVote,
  rank,
  score,
  points,
  pairwise,
  impact_effort: impactEffort,
  comment,
  worksheet,
  word_cloud: wordCloud,
};

// A kind the front end does not know (a newer server) draws nothing rather than breaking the page.
const NOTHING = {
  voting: false,
  phone: () => ({ mount() {}, update() {}, destroy() {} }),
  console: () => ({ mount() {}, update() {}, destroy() {} }),
  display: () => ({ mount() {}, update() {}, destroy() {} }),
};

export function kindOf(round) {
  return (round && KINDS[round.kind]) || NOTHING;
}

export function isVote(round) {
  return Boolean(round && kindOf(round).voting);
}

// The key of ``surface``'s view for ``state`` (see the contract above).
export function viewKey(surface, state, base = []) {
  const round = state && state.round;
  if (!round) return 'none';
  const kind = kindOf(round);
  const own = kind[`${surface}Key`];
  return [round.id, round.kind, ...base, ...(own ? own(state) : [])].join('|');
}

// Update the view kept in ``holder`` ({view, key}) when ``key`` is the one it was mounted for;
// otherwise destroy it, let ``clear()`` empty the page's part and return the container, and
// mount a new view there. Returns true when the view was (re)built. ``which`` is passed on to
// update() (the console names the parts of its view to draw again).
export function showView(holder, surface, state, key, ctx, clear, which) {
  if (holder.view && holder.key === key) { holder.view.update(state, which); return false; }
  if (holder.view) holder.view.destroy();
  holder.view = null;
  holder.key = key;
  const container = clear();
  if (state && state.round) {
    holder.view = kindOf(state.round)[surface]();
    holder.view.mount(container, { ...ctx, state });
  }
  return true;
}
