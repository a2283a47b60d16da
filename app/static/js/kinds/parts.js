// A console view drawn in named parts (meta, tally, ideas, …): ``mount`` draws every part,
// ``update(state, which)`` draws again only the parts named in ``which`` (all when not given).
// ``hold(state, ctx)`` gives the view its state (and, on mount, its context).
export function partsView(parts, hold, destroy = () => {}) {
  return {
    mount(container, ctx) {
      hold(ctx.state, ctx);
      for (const draw of Object.values(parts)) draw();
    },
    update(state, which) {
      hold(state);
      for (const [name, draw] of Object.entries(parts)) if (!which || which.includes(name)) draw();
    },
    destroy,
  };
}
