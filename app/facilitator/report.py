"""The Report page: the report's sections, written and arranged by the organisers, with a live preview.

Each section saves on its own: the page's script sends JSON (``{ok, section}`` or ``{ok: false,
error}``), a browser without it posts the section's form. The preview is the report as the PDF
writer renders it, built by a job (see docs/performance.md: too slow for a request on a large
workshop) and shown in a frame, sandboxed by its own policy. Every route is the workshop's facilitator's only
(``managed``, as every page of a workshop).
"""
from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app import jobs, transaction
from app.errors import Conflict, DomainError
from app.extensions import db
from app.facilitator import bp, managed
from app.models import Job, JobStatus, ReportSection
from app.services import jobs as jobs_service
from app.services import report_outline

#: The preview's own policy: nothing runs or loads in it but its inline styles and the charts'
#: data: images, it may be framed by Tavle's own pages only, and it is sandboxed (no scripts,
#: no forms, an origin of its own), so text in a report can never act on the console.
PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'self'; sandbox")
WAIT_CSP = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _page(workshop, *, status: int = 200, pending: dict[int, dict[str, Any]] | None = None):
    sections = report_outline.editor_payload(workshop)
    for section in sections:
        section.update((pending or {}).get(section["id"], {}))
    choices = report_outline.final_round_choices(workshop)
    return render_template(
        "facilitator/report.html", workshop=workshop, sections=sections, choices=choices,
        options=report_outline.resolved_options(workshop, choices), stored_options=workshop.report_options or {},
        row_fields=report_outline.ROW_FIELDS, title_max=ReportSection.TITLE_MAX, body_max=ReportSection.BODY_MAX,
    ), status


@bp.get("/<code>/report")
@managed
def report_page(workshop):
    """The report's outline, each section editable, and its preview."""
    transaction.run(lambda: report_outline.ensure_outline(workshop))
    return _page(workshop)[0]


def _form_edit(section: dict[str, Any]) -> dict[str, Any]:
    """What a section's form (the page without its script) holds, as ``edit_section`` takes it."""
    form = request.form
    values: dict[str, Any] = {"base_version": form.get("base_version"), "title": form.get("title", ""),
                              "included": bool(form.get("included"))}
    if "body" in form:
        values["body"] = form.get("body", "")
    if section.get("commented_items"):
        values["data"] = {"syntheses": {str(i["index"]): form.get(f"synthesis-{i['index']}", "")
                                        for i in section["commented_items"]}}
    if section["kind"] == "next_steps":
        rows = []
        count = form.get("row_count", "0")
        for n in range(min(int(count), report_outline.ROWS_MAX + 1) if count.isdigit() else 0):
            if form.get("remove_row") == str(n):
                continue
            rows.append({f: form.get(f"rows-{n}-{f}", "") for f in report_outline.ROW_FIELDS})
        if form.get("add_row"):
            rows.append({f: "" for f in report_outline.ROW_FIELDS})
        values["data"] = {"rows": rows}
    return values


def _json_edit() -> dict[str, Any]:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise DomainError("bad_request", _l("Send the section as a JSON object."))
    return {k: payload.get(k) for k in ("base_version", "title", "body", "included", "data")}


@bp.post("/<code>/report/sections/<int:section_id>")
@managed
def edit_report_section(workshop, section_id: int):
    """Save one section (JSON from the page's script, or its form)."""
    section = report_outline.get_section(workshop, section_id)
    if _wants_json():
        values = _json_edit()
        saved = transaction.run(lambda: report_outline.edit_section(section, editor=current_user.name, **values))
        return jsonify(ok=True, section=report_outline.section_payload(saved))
    payload = report_outline.section_payload(section)
    values = _form_edit(payload)
    try:
        transaction.run(lambda: report_outline.edit_section(section, editor=current_user.name, **values))
    except DomainError as exc:
        # The page again, with what was typed in place and the refusal (and the stored text) beside it.
        typed = {k: v for k, v in values.items() if k in ("title", "body", "included")}
        syntheses = (values.get("data") or {}).get("syntheses")
        if syntheses is not None:
            typed["commented_items"] = [{**i, "synthesis": syntheses.get(str(i["index"]), "")}
                                        for i in payload["commented_items"]]
        if "rows" in (values.get("data") or {}):
            typed["rows"] = values["data"]["rows"]
        typed["error"] = exc.message
        typed["current"] = exc.details.get("current") if isinstance(exc, Conflict) else None
        if typed["current"]:
            typed["version"] = typed["current"]["version"]
        return _page(workshop, status=exc.status, pending={section.id: typed})
    if request.form.get("add_row") or request.form.get("remove_row"):
        return redirect(url_for(".report_page", code=workshop.code) + f"#section-{section.id}")
    flash(_("Saved."))
    return redirect(url_for(".report_page", code=workshop.code) + f"#section-{section.id}")


def _after_change(workshop, anchor: str = ""):
    if _wants_json():
        return jsonify(ok=True, sections=report_outline.editor_payload(workshop))
    return redirect(url_for(".report_page", code=workshop.code) + anchor)


@bp.post("/<code>/report/sections/<int:section_id>/<verb>")
@managed
def report_section_action(workshop, section_id: int, verb: str):
    """Move a section up or down, or delete one of the organisers' own."""
    section = report_outline.get_section(workshop, section_id)
    if verb in ("up", "down"):
        transaction.run(lambda: report_outline.move_section(workshop, section, verb))
        return _after_change(workshop, f"#section-{section.id}")
    if verb == "delete":
        transaction.run(lambda: report_outline.delete_section(workshop, section))
        if not _wants_json():
            flash(_("Section deleted."))
        return _after_change(workshop)
    abort(404)


@bp.post("/<code>/report/sections")
@managed
def add_report_section(workshop):
    """Add a chapter of the organisers' own."""
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data if isinstance(data, dict) or hasattr(data, "get") else {}
    try:
        section = transaction.run(lambda: report_outline.add_section(workshop, title=data.get("title", ""),
                                                                     after=data.get("after") or None))
    except DomainError as exc:
        if _wants_json():
            raise
        flash(exc.message, "error")
        return redirect(url_for(".report_page", code=workshop.code) + "#add-section")
    return _after_change(workshop, f"#section-{section.id}")


@bp.post("/<code>/report/options")
@managed
def report_options(workshop):
    """Choose the round that gives the final priorities and how many ideas are recommended."""
    data = request.get_json(silent=True) if request.is_json else request.form
    data = data if hasattr(data, "get") else {}
    try:
        resolved = transaction.run(lambda: report_outline.set_report_options(
            workshop, final_round=data.get("final_round"), recommended=data.get("recommended")))
    except DomainError as exc:
        if _wants_json():
            raise
        flash(exc.message, "error")
        return redirect(url_for(".report_page", code=workshop.code) + "#report-options")
    if _wants_json():
        return jsonify(ok=True, options=resolved)
    flash(_("Saved."))
    return redirect(url_for(".report_page", code=workshop.code) + "#report-options")


@bp.get("/<code>/report/preview")
@managed
def report_preview(workshop):
    """The report as HTML for the preview frame: built by a job for the workshop as it is now;
    until it is ready a small page that reloads itself says how far it got."""
    job = jobs.submit("report_preview", workshop=workshop, user=current_user,
                      key_parts=(jobs_service.fingerprint(workshop),), again=bool(request.args.get("again")))
    if job.status is JobStatus.DONE:
        content = db.session.scalar(select(Job.result).where(Job.id == job.id)) or b""
        return Response(content, mimetype="text/html", headers={
            "Content-Security-Policy": PREVIEW_CSP, "X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store"})
    failed = job.status is JobStatus.FAILED
    page = render_template("facilitator/report_preview_wait.html", workshop=workshop, failed=failed,
                           message=job.error_message if failed else jobs_service.progress_text(job),
                           again_url=url_for(".report_preview", code=workshop.code, again=1))
    return Response(page, status=200 if not failed else 500, mimetype="text/html", headers={
        "Content-Security-Policy": WAIT_CSP, "X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store"})
