"""Facilitator-only downloads (the report, the workbook, the backup, summaries) and backup import."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from app import transaction
from app.errors import Conflict, DomainError
from app.exports import PARTS, ROUND_WRITERS, WORKSHOP_WRITERS, ExportUnavailable
from app.exports.pdf_writer import available as pdf_available
from app.facilitator import bp
from app.services import backup, reporting, rounds, workshops

#: What each workshop download is called, in the file name and on the downloads page.
FILE_NAMES = {"docx": "report", "pdf": "report", "xlsx": "data", "json": "backup", "md": "summary"}
DOWNLOADS = [
    ("docx", "Report (Word)", "The report to send out: title page, summary and final list, every round with its method, "
                              "result and chart, the worked-out ideas, starred comments, the survey, the agenda and the "
                              "participants. Editable in Word and LibreOffice."),
    ("pdf", "Report (PDF)", "The same report, ready to print, with page numbers."),
    ("xlsx", "Workbook (Excel)", "Ideas, each round's result, the ballots with voter numbers instead of names, "
                                 "participants, survey answers, comments and worksheets."),
    ("json", "Backup (JSON)", "Everything in this workshop. Import it under Import a workshop to get an identical copy."),
    ("md", "Summary (Markdown)", "A short text summary for e-mail or a wiki."),
]


class BackupForm(FlaskForm):
    file = FileField("Backup file (.json)", validators=[FileRequired(message="Choose the backup file.")])


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
    """The whole workshop as a report (docx, pdf), workbook (xlsx), backup (json) or summary (md)."""
    workshop = workshops.managed_by(current_user, code)
    writer = WORKSHOP_WRITERS.get(fmt) or abort(404)
    report = reporting.workshop_report(workshop, parts=PARTS.get(fmt, ()))
    try:
        export = writer(report)
    except ExportUnavailable as exc:
        return render_template("errors/error.html", status=501, code="export_unavailable", message=str(exc)), 501
    return _send(export, f"{workshop.code}-{FILE_NAMES.get(fmt, fmt)}")


@bp.get("/<code>/exports")
def exports_page(code: str):
    """Every download of the workshop on one page."""
    workshop = workshops.managed_by(current_user, code)
    pdf_ok, pdf_reason = pdf_available()
    closed = [r for r in workshop.rounds if r.latest_result is not None]
    return render_template("facilitator/exports.html", workshop=workshop, downloads=DOWNLOADS, pdf_ok=pdf_ok,
                           pdf_reason=pdf_reason, closed=closed)


@bp.route("/import", methods=["GET", "POST"])
def import_workshop():
    """Upload a backup (JSON) and get an identical workshop with a new code, owned by you."""
    form = BackupForm()
    error = None
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            doc = backup.parse(raw)
            workshop = transaction.run(lambda: backup.restore(doc, current_user))
        except DomainError as exc:
            error = exc.message
        else:
            flash(f"Imported “{workshop.title}”. Participants join the copy with code {workshop.code}.")
            return redirect(url_for(".console", code=workshop.code))
    elif form.errors:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    return render_template("facilitator/import.html", form=form, error=error), 400 if error else 200
