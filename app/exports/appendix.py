"""The report's method appendix: how each vote was counted, in one place.

``method_appendix(d, report)`` writes, for each voting round with a stored result, a section
with the round's title, its method card (the plain-language account of the counting rule) and
the parameters that shaped it; the chapters of the rounds then need not repeat them.
"""
from __future__ import annotations

from typing import Any, Mapping

from flask_babel import gettext as _

from app.exports.document import _Doc, _param_rows


def method_appendix(d: _Doc, report: Mapping[str, Any], title: str | None = None) -> None:
    """The appendix "Method" (``title``: its heading as the outline names it)."""
    d.heading(1, title or _("Appendix: Method"), numbered=False)
    voted = [r for r in report.get("rounds") or [] if r.get("votes") and r.get("result")]
    if not voted:
        d.p(_("No vote has been closed yet."), "muted")
        return
    for rnd in voted:
        d.heading(2, rnd["title"], numbered=False)
        if rnd["result"].get("method_card"):
            d.p(rnd["result"]["method_card"])
        d.table([_("Field"), _("Value")], _param_rows(rnd, d.lang), kind="facts", widths=[0.45, 0.55])
