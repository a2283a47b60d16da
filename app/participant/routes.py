"""Join a workshop, and the participant's phone page."""
from __future__ import annotations

import uuid

from flask import Response, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import i18n, transaction
from app.errors import DomainError
from app.extensions import limiter
from app.forms import Form
from app.limits import check_submission, code_lookup, joins_limit
from app.models import Workshop
from app.participant import bp
from app.participant.forms import JoinForm
from app.realtime import broadcast
from app.services import participants, workshops
from app.templating import join_url, qr_svg

COOKIE_MAX_AGE = 30 * 24 * 3600


def _local_next(workshop) -> str | None:
    """A page of this workshop to return to after joining (only its own paths, never elsewhere)."""
    target = request.args.get("next", "")
    prefix = f"/w/{workshop.code}/"
    return target if target.startswith(prefix) and "//" not in target and "\\" not in target else None


def _workshop(code: str) -> Workshop:
    """The workshop named by ``code``; the rest of the request speaks its language (also when
    the code in the address is written differently from the stored one)."""
    workshop = workshops.by_code(code)
    i18n.use(workshop.language)
    return workshop


def _current(workshop):
    try:
        return participants.from_token(workshop, request.cookies.get(participants.cookie_name(workshop)))
    except DomainError:
        return None


@bp.get("/<code>")
@code_lookup
def home(code: str):
    """The phone page if this browser has joined, else the join form."""
    workshop = _workshop(code)
    if workshop.code != code:
        return redirect(url_for(".home", code=workshop.code))
    participant = _current(workshop)
    if participant is None:
        return render_template("participant/join.html", workshop=workshop, form=JoinForm(), next=_local_next(workshop))
    return render_template("participant/phone.html", workshop=workshop, participant=participant)


@bp.post("/<code>/join")
@code_lookup
@limiter.limit(joins_limit)
def join(code: str):
    """Join the workshop; a signed cookie remembers the participant on this browser."""
    workshop = _workshop(code)
    if _current(workshop) is not None:
        # A second tap on "Join", or a form re-sent from the browser's history: already in.
        return redirect(url_for(".home", code=workshop.code))
    form = JoinForm()
    if form.validate_on_submit():
        try:
            participant = transaction.run(lambda: participants.join(
                workshop, name=form.name.data or "", organisation=form.organisation.data or "",
                sector=form.sector.data or "", anonymous=form.anonymous.data,
            ))
        except DomainError as exc:
            form.name.errors.append(exc.message)
        else:
            broadcast.participants_changed(workshop)
            response = make_response(redirect(_local_next(workshop) or url_for(".home", code=workshop.code)))
            response.set_cookie(
                participants.cookie_name(workshop), participants.issue_token(participant), max_age=COOKIE_MAX_AGE,
                httponly=True, samesite="Lax", secure=request.is_secure,
            )
            return response
    return render_template("participant/join.html", workshop=workshop, form=form, next=_local_next(workshop)), 400


@bp.post("/<code>/leave")
@code_lookup
def leave(code: str):
    """"Not you? Join again": end this participant's token on the server and forget it here."""
    workshop = _workshop(code)
    participant = _current(workshop)
    if participant is not None:
        # A copied cookie must not outlive the person pressing the button.
        transaction.run(lambda: participants.revoke(participant))
        broadcast.participant_signed_out(participant)
    response = make_response(redirect(url_for(".home", code=workshop.code)))
    response.delete_cookie(participants.cookie_name(workshop))
    return response


@bp.get("/<code>/qr.svg")
@code_lookup
def qr(code: str):
    """The join link as an SVG QR code."""
    workshop = _workshop(code)
    return Response(qr_svg(join_url(workshop.code)), mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/<code>/p/<token>")
@code_lookup
def personal(code: str, token: str):
    """A personal join link (from the roster): this browser becomes that participant."""
    workshop = _workshop(code)
    participant = participants.from_token(workshop, token)
    if participant.joined_at is None:
        transaction.run(lambda: participants.mark_joined(participant))
        broadcast.participants_changed(workshop)
    response = make_response(redirect(url_for(".home", code=workshop.code)))
    response.set_cookie(participants.cookie_name(workshop), token, max_age=COOKIE_MAX_AGE, httponly=True,
                        samesite="Lax", secure=request.is_secure)
    return response


@bp.route("/<code>/survey/<int:survey_id>", methods=["GET", "POST"])
@code_lookup
def survey(code: str, survey_id: int):
    """Answer a survey (one response per participant); join first if this browser has not."""
    from app.services import surveys as survey_service

    workshop = _workshop(code)
    participant = _current(workshop)
    if participant is None:
        return redirect(url_for(".home", code=workshop.code, next=request.path))
    survey_ = survey_service.get_survey(workshop, survey_id)
    error, done = None, survey_service.has_responded(survey_, participant)
    if request.method == "POST" and not done:
        form = Form()
        if not form.validate_on_submit():
            error = _("This form has expired. Reload the page and answer again.")
        else:
            answers = {}
            for q in survey_.questions:
                key = f"q{q.id}"
                answers[str(q.id)] = request.form.getlist(key) if q.kind == "multi" else request.form.get(key, "")
            try:
                check_submission("survey_responses", participant.id, "")
                transaction.run(lambda: survey_service.submit_response(participant, survey_, answers, op_id=request.form.get("op_id", "")))
            except DomainError as exc:
                error = exc.message
            else:
                done = True
                broadcast.to_facilitators(workshop, "survey_results", survey_service.summary(survey_))
    return render_template("participant/survey.html", workshop=workshop, survey=survey_, error=error, done=done,
                           op_id=uuid.uuid4().hex, answers=request.form), 400 if error else 200
