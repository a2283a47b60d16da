"""Bar charts for the report, drawn without a browser.

matplotlib (pinned in requirements.txt) rather than bars drawn by hand with Pillow: it lays out
labels, values and axes itself, falls back glyph by glyph to the font it ships (DejaVu Sans, with
Norwegian letters and most scripts) so a chart renders on every server whatever fonts are
installed, and one figure gives both a PNG for the DOCX and an SVG for the PDF, which stays
sharp when printed. It is used through ``matplotlib.figure``
with the Agg and SVG canvases only: no pyplot, no global state, no display.
"""
from __future__ import annotations

import io
import os
import warnings
from typing import Any, Mapping

from app.exports.labels import xml_safe

os.environ.setdefault("MPLBACKEND", "Agg")

#: The colour of the app's brand (the favicon's green), used for bars and headings alike.
BRAND = "#2f6f5e"
BAR_TIED = "#6f9d8f"
TEXT = "#222222"
MAX_BARS = 15
LABEL_CHARS = 52


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(xml_safe(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _figure(spec: Mapping[str, Any]):
    from matplotlib.figure import Figure

    labels = [_short(x) for x in spec["labels"]]
    values = [float(v or 0) for v in spec["values"]]
    tied = list(spec.get("tied") or [False] * len(values))
    fmt = spec.get("format") or (lambda v: f"{v:g}")
    n = max(len(values), 1)
    fig = Figure(figsize=(6.4, 0.3 * n + 0.45), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    positions = list(range(len(values)))
    ax.barh(positions, values, color=[BAR_TIED if t else BRAND for t in tied], height=0.66)
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=9, color=TEXT)
    ax.invert_yaxis()
    top = max(values, default=0) or 1
    ax.set_xlim(0, top * 1.14)
    for y, v in zip(positions, values):
        ax.text(v + top * 0.012, y, fmt(v), va="center_baseline", ha="left", fontsize=8.5, color=TEXT)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#888888")
    ax.tick_params(axis="x", bottom=False, labelbottom=False)
    ax.tick_params(axis="y", length=0, pad=6)
    fig.tight_layout(pad=0.4)
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
    """A horizontal bar chart of ``spec`` (``labels``, ``values``, optional ``tied`` and ``format``) as PNG or SVG."""
    import matplotlib

    with warnings.catch_warnings(), matplotlib.rc_context({
        "text.parse_math": False,  # user text with $ signs is text, never TeX
        "font.family": _family(),
        "svg.fonttype": "path",  # the SVG needs no fonts where it is shown
        "svg.hashsalt": "tavle",  # the same chart gives the same file
    }):
        warnings.simplefilter("ignore")  # glyphs the font lacks (emoji) are drawn as boxes, not warned about
        fig = _figure(spec)
        buf = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buf, format="svg", metadata={"Date": None})
        else:
            fig.savefig(buf, format="png", dpi=200, metadata={"Software": None})
    return buf.getvalue()
