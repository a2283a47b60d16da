"""Facilitator-only downloads (the report, the workbook, the backup, summaries) and backup import."""
from __future__ import annotations

import hashlib

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import select

from app import jobs
from app.errors import Conflict, NotFound
from app.exports import PDF_FORMATS, ROUND_WRITERS, WORKSHOP_WRITERS
from app.exports.pdf_writer import available as pdf_available
from app.extensions import db
from app.facilitator import bp, managed
from app.forms import Form
from app.models import Job, JobStatus, Workshop
from app.realtime import broadcast
from app.services import backup, reporting, rounds
from app.services import jobs as jobs_service

DOWNLOADS = [
    ("docx", _l("Report (Word)"), _l("The report to send out, in the order of the Report page: the summary with the "
                                     "recommended ideas, the sections you wrote, every round with its result and chart, "
                                     "the worked-out ideas, the survey, and the method, agenda and participants as "
                                     "appendices. Editable in Word and LibreOffice.")),
    ("pdf", _l("Report (PDF)"), _l("The same report, ready to print, with page numbers. Tagged for screen readers "
                                   "(PDF/UA).")),
    ("pdfa", _l("Report (PDF archive, PDF/A)"), _l("The same PDF in the archival format PDF/A, for records that "
                                                   "must open unchanged for decades.")),
    ("xlsx", _l("Workbook (Excel)"), _l("Ideas, each round's result, the ballots with voter numbers instead of names, "
                                        "participants, survey answers, comments and worksheets.")),
    ("json", _l("Backup (JSON)"), _l("Everything in this workshop. Import it under Import a workshop to get an identical "
                                     "copy.")),
    ("md", _l("Summary (Markdown)"), _l("A short text summary for e-mail or a wiki.")),
]


class BackupForm(Form):
    file = FileField(_l("Backup file (.json)"), validators=[FileRequired(message=_l("Choose the backup file."))])


def _send(export, filename: str) -> Response:
    return Response(
        export.content, mimetype=export.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{export.extension}"'},
    )


@bp.get("/<code>/rounds/<int:round_id>/export.<fmt>")
@managed
def export_round(workshop, round_id: int, fmt: str):
    """A closed round's ranked result as CSV or JSON."""
    writer = ROUND_WRITERS.get(fmt) or abort(404)
    round_ = rounds.get_round(workshop, round_id)
    if round_.latest_result is None:
        raise Conflict("no_result", _l("“%(title)s” has no stored result yet: close the round first.", title=round_.title))
    data = reporting.round_report(round_)
    return _send(writer(data, workshop.language), f"{workshop.code}-round-{round_.position}")


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


#: The HTTP status of a failed job, by its error code (a refused upload is the client's: 400).
FAILED_STATUS = {"job_failed": 500, "worker_stopped": 500, "queue_unavailable": 503, "no_worker": 503,
                 "export_unavailable": 501}


def _job_url(job: Job) -> str:
    return broadcast.job_url(job)


def _answer(job: Job, *, again_url: str | None = None, back_url: str | None = None) -> Response | tuple:
    """A job as its URL answers: its file when done, else its progress (202) or why it failed.

    A client that asks for JSON gets the status instead, also when done (then it fetches
    ``url`` without asking for JSON), so a polling page never downloads the file twice.
    """
    url = _job_url(job)
    if job.status is JobStatus.DONE and job.filename and not _wants_json():
        content = db.session.scalar(select(Job.result).where(Job.id == job.id)) or b""
        return Response(content, mimetype=job.mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{job.filename}"'})
    status = 200 if job.status is JobStatus.DONE else 202
    if job.status is JobStatus.FAILED:
        status = FAILED_STATUS.get(job.error_code or "job_failed", 400)
    if _wants_json():
        payload = jobs_service.status_payload(job, url)
        payload["heading"] = jobs.heading(job)
        return jsonify(payload), status
    return render_template("facilitator/job.html", job=job, heading=jobs.heading(job),
                           progress=jobs_service.progress_text(job), status_url=url, again_url=again_url,
                           back_url=back_url, workshop=db.session.get(Workshop, job.workshop_id) if job.workshop_id else None), status


@bp.get("/<code>/export-archive.pdf", defaults={"fmt": "pdfa"})
@bp.get("/<code>/export.<fmt>")
@managed
def export_workshop(workshop, fmt: str):
    """The whole workshop as a report (docx, pdf; pdfa at ``export-archive.pdf``), workbook (xlsx),
    backup (json) or summary (md).

    Built by a job: the file when a build for the workshop as it is now is ready, else the
    build's progress page (or 202 with its JSON status); ``?job=<id>`` follows one build.
    """
    if fmt not in WORKSHOP_WRITERS:
        abort(404)
    again_url = url_for(".export_workshop", code=workshop.code, fmt=fmt, again=1)
    back_url = url_for(".exports_page", code=workshop.code)
    job_id = request.args.get("job")
    if job_id:
        job = jobs_service.get_for(current_user, job_id)
        if job.workshop_id != workshop.id or job.kind != "export" or job.params.get("format") != fmt:
            raise NotFound("no_job", _l("This job is not known (finished results are kept for an hour): start it again."))
        return _answer(job, again_url=again_url, back_url=back_url)
    if fmt in PDF_FORMATS:
        ok, reason = pdf_available()
        if not ok:
            return render_template("errors/error.html", status=501, code="export_unavailable", message=reason), 501
    job = jobs.submit("export", workshop=workshop, user=current_user, params={"format": fmt},
                      key_parts=(jobs_service.fingerprint(workshop),), again=bool(request.args.get("again")))
    return _answer(job, again_url=again_url, back_url=back_url)


@bp.get("/jobs/<job_id>")
def job_page(job_id: str):
    """A job's progress page (or its JSON status); an import that is done goes on to what it made."""
    job = jobs_service.get_for(current_user, job_id)
    if job.kind == "export":
        workshop = db.session.get(Workshop, job.workshop_id)
        return redirect(url_for(".export_workshop", code=workshop.code, fmt=job.params.get("format"), job=job.id))
    if job.status is JobStatus.DONE and not _wants_json():
        outcome = job.outcome or {}
        if job.kind == "backup_import":
            flash(_("Imported “%(title)s”. Participants join the copy with code %(code)s.",
                    title=outcome.get("title", ""), code=outcome.get("code")))
            return redirect(url_for(".console", code=outcome.get("code")))
        if job.kind == "roster_import":
            workshop = db.session.get(Workshop, job.workshop_id)
            added = outcome.get("added", 0)
            flash(ngettext("Imported %(num)d participant.", "Imported %(num)d participants.", added))
            for error in (outcome.get("errors") or [])[:20]:
                flash(error, "error")
            return redirect(url_for(".people", code=workshop.code))
    if job.kind == "backup_import":
        back = url_for(".import_workshop")
    else:
        workshop = db.session.get(Workshop, job.workshop_id)
        back = url_for(".people", code=workshop.code) if workshop else url_for(".workshops")
    return _answer(job, back_url=back)


@bp.get("/<code>/exports")
@managed
def exports_page(workshop):
    """Every download of the workshop on one page."""
    pdf_ok, pdf_reason = pdf_available()
    closed = [r for r in workshop.rounds if r.latest_result is not None]
    return render_template("facilitator/exports.html", workshop=workshop, downloads=DOWNLOADS, pdf_ok=pdf_ok,
                           pdf_reason=pdf_reason, pdf_formats=PDF_FORMATS, closed=closed)


@bp.route("/import", methods=["GET", "POST"])
def import_workshop():
    """Upload a backup (JSON) and get an identical workshop with a new code, owned by you.

    The upload is kept with a job that checks and restores it in a worker; its page shows how
    far it got and then opens the copy's console.
    """
    form = BackupForm()
    error = None
    if form.validate_on_submit():
        raw = form.file.data.read(backup.MAX_BYTES + 1)
        if len(raw) > backup.MAX_BYTES:
            error = _("The file is too large: Tavle imports backups of at most %(mb)s MB.", mb=backup.MAX_BYTES // 2**20)
        else:
            job = jobs.submit("backup_import", user=current_user, input=raw,
                              key_parts=(hashlib.sha256(raw).hexdigest(),), again=True)
            return redirect(url_for(".job_page", job_id=job.id))
    elif form.errors:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    return render_template("facilitator/import.html", form=form, error=error), 400 if error else 200
