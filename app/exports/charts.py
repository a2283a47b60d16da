"""The report's charts, drawn without a browser: bar charts of a result, and the 2×2 matrix of
an impact/effort vote.

matplotlib (pinned in requirements.txt) rather than bars drawn by hand with Pillow: it lays out
labels, values and axes itself, falls back glyph by glyph to the font it ships (DejaVu Sans, with
Norwegian letters and most scripts) so a chart renders on every server whatever fonts are
installed, and one figure gives both a PNG for the DOCX and an SVG for the PDF, which stays
sharp when printed. It is used through ``matplotlib.figure``
with the Agg and SVG canvases only: no pyplot, no global state, no display.

A chart is told by its ``spec`` (built by ``app.exports.document``), whose texts are already in
the file's language:

* a bar chart: ``labels``, ``values``, optional ``tied`` (drawn lighter), ``unit`` (the value
  axis's label: what the values count) and ``format`` (a number as the file writes it);
* ``type: "matrix"``: ``points`` (``number``, ``label``, ``x`` = mean effort, ``y`` = mean
  impact), ``scale`` (the rating scale's ends), ``areas`` (the quadrants' names by
  ``quick_win``, ``major_project``, ``fill_in``, ``thankless``), ``x_label``, ``y_label`` and
  ``format``, and the legend's two headings ``idea_label`` and ``values_label``. Each point
  carries its number; the legend under the matrix says which idea it is.

Labels are wrapped onto up to three lines, never cut mid-word; a label longer still ends in "…".
"""
from __future__ import annotations

import io
import os
import textwrap
import warnings
from typing import Any, Mapping

from app.exports.labels import xml_safe

os.environ.setdefault("MPLBACKEND", "Agg")

#: The colour of the app's brand (the favicon's green), used for bars and headings alike.
BRAND = "#2f6f5e"
BAR_TIED = "#6f9d8f"
TEXT = "#222222"
MUTED = "#5f6368"
MAX_BARS = 15
#: Characters on one line of a bar's label, and lines at most.
LABEL_WIDTH = 34
LABEL_LINES = 3
#: Height of a line of the matrix's legend and the space between its entries, in inches.
LINE, GAP = 0.14, 0.05
#: Width of every chart, in inches (the text width of an A4 page at 100 dpi is about 6.3 in).
WIDTH = 6.4


def wrap(text: str, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """``text`` on at most ``lines`` lines of about ``width`` characters, broken between words;
    whatever does not fit ends in an ellipsis."""
    text = " ".join(xml_safe(text).split())
    parts = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(parts) > lines:
        last = " ".join(parts[lines - 1:])
        parts = parts[: lines - 1] + [textwrap.shorten(last, width=width, placeholder=" …")
                                       if " " in last[:width] else last[: width - 1] + "…"]
    return "\n".join(parts)


def _bar_figure(spec: Mapping[str, Any]):
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    labels = [wrap(x) for x in spec["labels"]]
    values = [float(v or 0) for v in spec["values"]]
    tied = list(spec.get("tied") or [False] * len(values))
    fmt = spec.get("format") or (lambda v: f"{v:g}")
    unit = spec.get("unit") or ""
    lines = [label.count("\n") + 1 for label in labels] or [1]
    # Each bar gets the height its label needs: 0.3 in for one line, 0.14 in more for each further line.
    heights = [0.3 + 0.14 * (n - 1) for n in lines]
    fig = Figure(figsize=(WIDTH, sum(heights) + (0.75 if unit else 0.45)), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    positions, y = [], 0.0
    for h in heights:
        positions.append(y + h / 2)
        y += h
    ax.barh(positions, values, color=[BAR_TIED if t else BRAND for t in tied], height=0.22)
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=8.5, color=TEXT, linespacing=1.15)
    ax.set_ylim(y, 0)
    low, top = min(values + [0]), max(values + [0])
    span = (top - low) or 1
    ax.set_xlim(low - (span * 0.14 if low < 0 else 0), top + span * 0.14)
    for pos, v in zip(positions, values):
        ax.text(v + span * 0.012 * (1 if v >= 0 else -1), pos, fmt(v), va="center_baseline",
                ha="left" if v >= 0 else "right", fontsize=8, color=TEXT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#888888")
    ax.spines["bottom"].set_color("#bbbbbb")
    if low < 0:
        ax.axvline(0, color="#888888", linewidth=0.8)
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", labelsize=7.5, colors=MUTED, length=2)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=all(float(v).is_integer() for v in values)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt(v)))
    if unit:
        ax.set_xlabel(unit[:1].upper() + unit[1:], fontsize=8, color=MUTED, labelpad=3)
    fig.tight_layout(pad=0.4)
    return fig


def _overlaps(box, boxes) -> bool:
    return any(box.overlaps(other) for other in boxes)


def _matrix_figure(spec: Mapping[str, Any]):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox

    fmt = spec.get("format") or (lambda v: f"{v:g}")
    lo, hi = (float(v) for v in spec.get("scale") or (1, 5))
    mid = (lo + hi) / 2
    pad = (hi - lo) * 0.06
    points = [p for p in spec["points"] if p.get("x") is not None and p.get("y") is not None]
    # The list under the matrix: number, title, and the two means, one idea a line.
    legend = [(p["number"], wrap(p["label"], width=78, lines=2), f"{fmt(p['y'])} / {fmt(p['x'])}") for p in points]
    legend_lines = sum(item[1].count("\n") + 1 for item in legend)
    plot_h, legend_h = 3.9, LINE * legend_lines + GAP * len(legend) + 0.3
    fig = Figure(figsize=(WIDTH, plot_h + legend_h), dpi=100)
    FigureCanvasAgg(fig)
    height = fig.get_figheight()
    ax = fig.add_axes((0.72 / WIDTH, (legend_h + 0.55) / height, (WIDTH - 0.92) / WIDTH, (plot_h - 0.75) / height))
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(lo - pad, hi + pad)
    # The quick wins (high impact, low effort) shaded, as on the projector; the midpoint dashed.
    ax.add_patch(Rectangle((lo - pad, mid), mid - lo + pad, hi - mid + pad, color=BRAND, alpha=0.10, linewidth=0))
    ax.axvline(mid, color="#5f6b73", linewidth=1, linestyle=(0, (5, 4)))
    ax.axhline(mid, color="#5f6b73", linewidth=1, linestyle=(0, (5, 4)))
    ax.set_xticks([t for t in range(int(lo), int(hi) + 1)])
    ax.set_yticks([t for t in range(int(lo), int(hi) + 1)])
    ax.tick_params(labelsize=8, colors=MUTED, length=2)
    ax.set_xlabel(spec.get("x_label", "") + " →", fontsize=8.5, color=TEXT, labelpad=3)
    ax.set_ylabel(spec.get("y_label", "") + " →", fontsize=8.5, color=TEXT, labelpad=3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    areas = spec.get("areas") or {}
    corner = {"quick_win": (0.015, 0.985, "left", "top"), "major_project": (0.985, 0.985, "right", "top"),
              "fill_in": (0.015, 0.015, "left", "bottom"), "thankless": (0.985, 0.015, "right", "bottom")}
    taken = []
    renderer = fig.canvas.get_renderer()
    for key, (x, y, ha, va) in corner.items():
        if areas.get(key):
            label = ax.text(x, y, areas[key], transform=ax.transAxes, ha=ha, va=va, fontsize=8.5,
                            fontweight="bold", color=BRAND)
            taken.append(label.get_window_extent(renderer).expanded(1.05, 1.2))
    # Ideas rated alike share one point: it carries all their numbers ("2, 5").
    spots: dict[tuple[float, float], list[int]] = {}
    for p in points:
        spots.setdefault((round(float(p["x"]), 2), round(float(p["y"]), 2)), []).append(p["number"])
    xs = [x for x, _ in spots]
    ys = [y for _, y in spots]
    ax.scatter(xs, ys, s=46, color=BRAND, zorder=3, edgecolors="white", linewidths=0.8)
    for x, y in spots:
        cx, cy = ax.transData.transform((x, y))
        taken.append(Bbox([[cx - 5, cy - 5], [cx + 5, cy + 5]]))
    # Each point's numbers beside it: the first place around it where they cover no other label,
    # quadrant name or point.
    offsets = [(7, 5), (7, -11), (-7, 5), (-7, -11), (0, 9), (0, -15), (12, -3), (-12, -3), (16, 12), (-16, 12),
               (16, -18), (-16, -18)]
    for (x, y), numbers in spots.items():
        text = ", ".join(str(n) for n in numbers)
        label = None
        for dx, dy in offsets:
            if label is not None:
                label.remove()
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=8,
                                fontweight="bold", color=TEXT, ha="left" if dx >= 0 else "right",
                                va="bottom" if dy >= 0 else "top", zorder=4)
            if dx == 0:
                label.set_ha("center")
            box = label.get_window_extent(renderer)
            if not _overlaps(box, taken):
                break
        taken.append(label.get_window_extent(renderer))
    # The legend: which idea each number is, under a heading row.
    y = legend_h - 0.02
    for x, text, ha in ((0.45, spec.get("idea_label", ""), "left"), (WIDTH - 0.12, spec.get("values_label", ""), "right")):
        fig.text(x / WIDTH, y / height, text, fontsize=7.5, color=MUTED, va="top", ha=ha)
    y -= LINE + GAP
    for number, title, means in legend:
        fig.text(0.16 / WIDTH, y / height, f"{number}", fontsize=8, fontweight="bold", color=TEXT, va="top")
        fig.text(0.45 / WIDTH, y / height, title, fontsize=8, color=TEXT, va="top", linespacing=1.25)
        fig.text((WIDTH - 0.12) / WIDTH, y / height, means, fontsize=8, color=MUTED, va="top", ha="right")
        y -= LINE * (title.count("\n") + 1) + GAP
    return fig


_FAMILY: list[str] = []


def _family() -> list[str]:
    """The report's own font where the system has it, then matplotlib's DejaVu Sans (always there,
    and used glyph by glyph for any character the first one lacks)."""
    if not _FAMILY:
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        _FAMILY.extend([name for name in ("Liberation Sans", "Arial") if name in installed][:1] + ["DejaVu Sans"])
    return _FAMILY


def render(spec: Mapping[str, Any], fmt: str = "png") -> bytes:
    """The chart of ``spec`` (a bar chart, or ``type: "matrix"``) as PNG or SVG."""
    import matplotlib

    with warnings.catch_warnings(), matplotlib.rc_context({
        "text.parse_math": False,  # user text with $ signs is text, never TeX
        "font.family": _family(),
        "svg.fonttype": "path",  # the SVG needs no fonts where it is shown
        "svg.hashsalt": "tavle",  # the same chart gives the same file
    }):
        warnings.simplefilter("ignore")  # glyphs the font lacks (emoji) are drawn as boxes, not warned about
        fig = _matrix_figure(spec) if spec.get("type") == "matrix" else _bar_figure(spec)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None})
        else:
            fig.savefig(buf, format="png", dpi=200, metadata={"Software": None})
    return buf.getvalue()
