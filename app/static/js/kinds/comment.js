// Comments: participants comment on a list of items (e.g. an action plan's measures); the
// facilitator stars or hides comments, the projector shows the counts and the starred ones.
import { formatNumber, gettext, ngettext } from '../i18n.js';
import { h } from '../live.js';
import { phoneClosed } from './standings.js';
import { partsView } from './parts.js';

const commentCount = (n) => ngettext('%(n)s comment', '%(n)s comments', n);
const itemNo = (index) => `${formatNumber(index + 1)}.`;

// The comments this phone sent, marked as the participant's own while the page is open.
const myCommentIds = new Set();

// A comment added or changed, in the list a phone or the projector keeps (hidden ones leave it).
function commentChanged(state, c) {
  if (c.round_id !== state.round.id) return false;
  const others = (state.comments || []).filter((x) => x.id !== c.id);
  state.comments = c.hidden ? others : [...others, c].sort((a, b) => a.id - b.id);
  return true;
}

// The console keeps hidden comments too, to show them again.
function consoleCommentChanged(state, c) {
  if (c.round_id !== state.round.id) return false;
  const known = (state.comments || []).some((x) => x.id === c.id);
  state.comments = known ? state.comments.map((x) => (x.id === c.id ? c : x)) : [...(state.comments || []), c];
  return 'recount';
}

function phoneOpen() {
  let refresh = () => {};
  return {
    mount(container, ctx) {
      let state = ctx.state;
      const items = state.round.settings.items || [];
      container.append(h('p', { class: 'hint' }, gettext('Comment on the items below. Everyone sees the comments.')));
      const lists = [];
      items.forEach((text, index) => {
        const list = h('ul', { class: 'comments', id: `comments-${index}` });
        const count = h('span', { class: 'badge comment-count' });
        const area = h('textarea', { id: `comment-${index}`, rows: 2, maxlength: 1000, name: 'text' });
        const form = h('form', { class: 'comment-form', novalidate: true },
          h('label', { for: `comment-${index}`, class: 'visually-hidden' }, gettext('Your comment on item %(n)s', { n: formatNumber(index + 1) })), area,
          h('button', { type: 'submit', class: 'primary' }, gettext('Add comment')));
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          ctx.showError('');
          const roundId = state.round.id;
          const value = area.value;
          ctx.live.submit('submit_comment', { round_id: roundId, item_index: index, text: value }, (resp) => {
            if (resp && resp.ok) {
              myCommentIds.add(resp.comment.id);
              ctx.statusText(gettext('Comment added ✓'));
              const now = ctx.current();
              if (now.round && commentChanged(now, resp.comment)) ctx.render();
            } else if (resp) {
              ctx.showError(resp.error.message);
              if (!area.value) area.value = value; // give the text back to fix it
            }
          });
          area.value = '';
        });
        lists.push({ index, list, count });
        container.append(h('section', { class: 'comment-item', dataset: { item: index } },
          h('h2', {}, h('span', { class: 'item-no' }, itemNo(index)), ' ', text, ' ', count), list, form));
      });
      refresh = (s) => {
        state = s;
        for (const { index, list, count } of lists) {
          const mine = (state.comments || []).filter((c) => c.item_index === index);
          count.textContent = commentCount(mine.length);
          list.replaceChildren(...(mine.length ? mine.map((c) => h('li', { class: [c.starred ? 'starred' : '', myCommentIds.has(c.id) ? 'mine' : ''].join(' ').trim(), dataset: { commentId: c.id } },
            c.starred ? h('span', { class: 'star-mark', title: gettext('Highlighted') }, '★ ', h('span', { class: 'visually-hidden' }, gettext('Highlighted'))) : null,
            h('span', { class: 'comment-text' }, c.text),
            c.attribution ? h('span', { class: 'muted by' }, c.attribution) : null))
            : [h('li', { class: 'muted empty' }, gettext('No comments yet.'))]));
        }
      };
      refresh(state);
    },
    update(state) { refresh(state); },
    destroy() { refresh = () => {}; },
  };
}

function consoleView() {
  let ctx = null;
  let state = null;
  const drawMeta = () => {
    const shown = (state.comments || []).filter((c) => !c.hidden).length;
    const items = (state.round.settings.items || []).length;
    ctx.$('live-meta').textContent = ngettext('%(comments)s on %(n)s item', '%(comments)s on %(n)s items', items, { comments: commentCount(shown) });
  };
  const drawComments = () => {
    const el = ctx.$('live-comments');
    ctx.keepFocus(el, () => {
      el.replaceChildren();
      (state.round.settings.items || []).forEach((item, index) => {
        const comments = (state.comments || []).filter((c) => c.item_index === index);
        el.append(h('section', { class: 'comment-item', dataset: { item: index } },
          h('h3', {}, `${itemNo(index)} ${item} `, h('span', { class: 'badge' }, formatNumber(comments.filter((c) => !c.hidden).length))),
          comments.length ? h('ul', { class: 'comments' }, comments.map((c) => h('li', { class: [c.starred ? 'starred' : '', c.hidden ? 'hidden-comment' : ''].join(' ').trim(), dataset: { commentId: c.id } },
            h('div', { class: 'comment-body' }, h('span', { class: 'comment-text' }, c.text),
              c.attribution ? h('span', { class: 'muted by' }, c.attribution) : null),
            h('div', { class: 'idea-actions' },
              h('button', { type: 'button', class: 'small star-toggle', id: `star-${c.id}`, 'aria-pressed': String(c.starred), onclick: () => ctx.act('flag_comment', { comment_id: c.id, starred: !c.starred }) },
                h('span', { 'aria-hidden': 'true' }, c.starred ? '★' : '☆'), ' ', gettext('Star')),
              h('button', { type: 'button', class: 'small', id: `hidec-${c.id}`, onclick: () => ctx.act('flag_comment', { comment_id: c.id, hidden: !c.hidden }) }, c.hidden ? gettext('Show') : gettext('Hide'))))))
            : h('p', { class: 'muted' }, gettext('No comments yet.'))));
      });
    });
  };
  const parts = { meta: drawMeta, comments: drawComments };
  return partsView(parts, (s, c) => { if (c) ctx = c; state = s; });
}

function displayView() {
  let ctx = null;
  const draw = (state) => {
    const { meta, board } = ctx.parts;
    const comments = state.comments || [];
    meta.textContent = ngettext('%(n)s comment so far', '%(n)s comments so far', comments.length);
    board.hidden = false;
    board.className = 'board comment-board';
    board.replaceChildren(...(state.round.settings.items || []).map((item, index) => {
      const mine = comments.filter((c) => c.item_index === index);
      const starred = mine.filter((c) => c.starred);
      return h('article', { class: 'board-card', dataset: { item: index, count: mine.length } },
        h('h2', {}, h('span', { class: 'item-no' }, itemNo(index)), ' ', item),
        h('p', { class: 'count-line' }, h('span', { class: 'count' }, commentCount(mine.length))),
        starred.length ? h('ul', { class: 'starred-list' }, starred.map((c) => h('li', {},
          h('span', { class: 'star-mark', 'aria-hidden': 'true' }, '★ '), c.text,
          c.attribution ? h('span', { class: 'by' }, ` – ${c.attribution}`) : null))) : null);
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
  phone: () => {
    let view = null;
    return {
      mount(container, ctx) { view = ctx.state.round.state === 'open' ? phoneOpen() : phoneClosed(kind, 'thanks'); view.mount(container, ctx); },
      update(state) { view.update(state); },
      destroy() { view.destroy(); },
    };
  },
  phoneKey: (state) => (state.round.state === 'open' ? [JSON.stringify(state.round.settings.items || [])] : []),
  console: consoleView,
  display: displayView,
  on: {
    comment_added: (state, c, page) => (page === 'console' ? consoleCommentChanged(state, c) : commentChanged(state, c)),
    comment_updated: (state, c, page) => (page === 'console' ? consoleCommentChanged(state, c) : commentChanged(state, c)),
  },
};

export default kind;
