"""The job kinds, registered by name: what each one runs inside a worker, and what it says meanwhile.

A kind's ``run`` gets a ``JobContext`` (the job row, the uploaded file, a ``progress`` callable)
and returns a ``JobOutput``. It may write to the session: the runner commits those writes in
the same transaction that marks the job done, so a job that raises leaves nothing behind.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from app import i18n
from app.extensions import db
from app.models import Job, User, Workshop
from app.services.jobs import JobOutput

Progress = Callable[[int, int, str], None]


@dataclass
class JobContext:
    """What a running job sees: its row, its uploaded file, and where to report progress."""

    job: Job
    input: bytes | None
    progress: Progress

    @property
    def workshop(self) -> Workshop:
        workshop = db.session.get(Workshop, self.job.workshop_id)
        if workshop is None:
            from app.errors import NotFound

            raise NotFound("no_workshop", _l("The workshop was deleted while this was waiting."))
        return workshop


@dataclass(frozen=True)
class JobKind:
    """One kind of heavy work: what it is called while it runs, and what it does."""

    name: str
    #: A lazy message: the heading of the job's progress page, in its reader's language.
    heading: Any
    run: Callable[[JobContext], JobOutput]
    #: False for imports: once done, the same upload may be imported again as another copy.
    keep_result: bool = True
    #: Run in the web process when the job is done (publish what changed).
    after: Callable[[Job], None] | None = None
    #: Not listed on the console while it runs (the Report page's preview, rebuilt after each save).
    quiet: bool = False


#: What each workshop download is called, in the file name.
FILE_NAMES = {"docx": "report", "pdf": "report", "pdfa": "report-archive", "xlsx": "data", "json": "backup",
              "md": "summary"}
HEADINGS = {"docx": _l("Building the report…"), "pdf": _l("Building the report…"), "pdfa": _l("Building the report…"),
            "xlsx": _l("Building the workbook…"),
            "json": _l("Building the backup…"), "md": _l("Building the summary…")}


def _export(ctx: JobContext) -> JobOutput:
    from app.exports import PARTS, WORKSHOP_WRITERS, ExportUnavailable
    from app.services import reporting

    fmt = ctx.job.params["format"]
    workshop = ctx.workshop
    ctx.progress(0, 0, "reading the workshop")
    # The file speaks the workshop's language, whoever asked for it.
    code, lang = workshop.code, workshop.language
    with i18n.in_language(lang):
        report = reporting.workshop_report(workshop, parts=PARTS.get(fmt, ()))
        db.session.rollback()  # the report is plain data now: end the read transaction before the long write
        try:
            export = WORKSHOP_WRITERS[fmt](report, lang, progress=ctx.progress)
        except ExportUnavailable as exc:
            from app.errors import DomainError

            raise DomainError("export_unavailable", exc.message, status=501) from None
    return JobOutput(export.content, f"{code}-{FILE_NAMES.get(fmt, fmt)}.{export.extension}", export.mimetype)


def _report_preview(ctx: JobContext) -> JobOutput:
    """The report as the PDF writer's HTML, for the Report page's preview frame."""
    from app.exports.pdf_writer import preview_html
    from app.services import reporting

    workshop = ctx.workshop
    ctx.progress(0, 0, "reading the workshop")
    code, lang = workshop.code, workshop.language
    with i18n.in_language(lang):
        report = reporting.workshop_report(workshop)
        db.session.rollback()  # plain data now: end the read transaction before the long write
        page = preview_html(report, lang)
    return JobOutput(page.encode("utf-8"), f"{code}-report-preview.html", "text/html; charset=utf-8")


def _backup_import(ctx: JobContext) -> JobOutput:
    from app.services import backup

    ctx.progress(0, 2, "steps")
    doc = backup.parse(ctx.input or b"")
    owner = db.session.get(User, ctx.job.user_id) if ctx.job.user_id else None
    ctx.progress(1, 2, "steps")
    workshop = backup.restore(doc, owner)
    db.session.flush()
    return JobOutput(outcome={"code": workshop.code, "title": workshop.title})


def _roster_import(ctx: JobContext) -> JobOutput:
    from app.services import roster

    raw = ctx.input or b""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # what older Excel versions save
    result = roster.import_csv(ctx.workshop, text)
    return JobOutput(outcome={"added": len(result.added), "errors": result.errors[:50],
                              "more_errors": max(0, len(result.errors) - 50)})


def _roster_after(job: Job) -> None:
    from app.realtime import broadcast

    workshop = db.session.get(Workshop, job.workshop_id)
    if workshop is not None:
        broadcast.participants_changed(workshop)


def _count_result(ctx: JobContext) -> JobOutput:
    from app.models import Round
    from app.services import rounds

    round_ = db.session.get(Round, ctx.job.params.get("round_id"))
    if round_ is None or round_.workshop_id != ctx.job.workshop_id:
        from app.errors import NotFound

        raise NotFound("unknown_round", _l("The round was deleted while its votes waited to be counted."))
    ctx.progress(0, 1, "counting the votes")
    snapshot = rounds.count_result(round_)
    return JobOutput(outcome={"round_id": round_.id, "counted": snapshot is not None,
                              "ballots": snapshot.ballots if snapshot is not None else None})


def _count_after(job: Job) -> None:
    from app.realtime import broadcast

    workshop = db.session.get(Workshop, job.workshop_id)
    if workshop is not None:
        broadcast.round_state(workshop)


KINDS: dict[str, JobKind] = {
    "export": JobKind("export", _l("Building the report…"), _export),
    "report_preview": JobKind("report_preview", _l("Building the preview…"), _report_preview, quiet=True),
    "backup_import": JobKind("backup_import", _l("Importing the backup…"), _backup_import, keep_result=False),
    "roster_import": JobKind("roster_import", _l("Importing the participant list…"), _roster_import, keep_result=False,
                             after=_roster_after),
    # The result of a large round once it has closed: a new one for every close.
    "count_result": JobKind("count_result", _l("Counting the votes…"), _count_result, keep_result=False,
                            after=_count_after),
}


def heading(job: Job) -> str:
    """What the job is doing, as its progress page says it (in the language being spoken)."""
    if job.kind == "export":
        return str(HEADINGS.get((job.params or {}).get("format"), _l("Building the file…")))
    kind: Any = KINDS.get(job.kind)
    return str(kind.heading if kind else _l("Working…"))
