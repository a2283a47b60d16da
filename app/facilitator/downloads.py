"""Facilitator-only downloads of round results and the workshop summary."""
from __future__ import annotations

from flask import Response, abort
from flask_login import current_user

from app.exports import ROUND_WRITERS, WORKSHOP_WRITERS
from app.facilitator import bp
from app.errors import Conflict
from app.services import reporting, rounds, workshops


def _send(export, filename: str) -> Response:
    return Response(
        export.content, mimetype=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{export.extension}"'},
    )


@bp.get("/<code>/rounds/<int:round_id>/export.<fmt>")
def export_round(code: str, round_id: int, fmt: str):
    """A closed round's ranked result as CSV or JSON."""
    workshop = workshops.managed_by(current_user, code)
    writer = ROUND_WRITERS.get(fmt) or abort(404)
    round_ = rounds.get_round(workshop, round_id)
    if round_.latest_result is None:
        raise Conflict("no_result", f"“{round_.title}” has no stored result yet: close the round first.")
    data = reporting.round_report(round_)
    return _send(writer(data, workshop.language), f"{workshop.code}-round-{round_.position}")


@bp.get("/<code>/export.<fmt>")
def export_workshop(code: str, fmt: str):
    """The workshop summary (Markdown)."""
    workshop = workshops.managed_by(current_user, code)
    writer = WORKSHOP_WRITERS.get(fmt) or abort(404)
    return _send(writer(reporting.workshop_report(workshop)), f"{workshop.code}-summary")
