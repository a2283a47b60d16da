"""Join a workshop, and the participant's phone page."""
from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request, url_for

from app import transaction
from app.errors import DomainError
from app.extensions import limiter
from app.participant import bp
from app.participant.forms import JoinForm
from app.realtime import broadcast
from app.services import participants, workshops
from app.templating import join_url, qr_svg

COOKIE_MAX_AGE = 30 * 24 * 3600


def _current(workshop):
    try:
        return participants.from_token(workshop, request.cookies.get(participants.cookie_name(workshop)))
    except DomainError:
        return None


@bp.get("/<code>")
def home(code: str):
    """The phone page if this browser has joined, else the join form."""
    workshop = workshops.by_code(code)
    if workshop.code != code:
        return redirect(url_for(".home", code=workshop.code))
    participant = _current(workshop)
    if participant is None:
        form = JoinForm()
        form.set_language(workshop.language)
        return render_template("participant/join.html", workshop=workshop, form=form)
    return render_template("participant/phone.html", workshop=workshop, participant=participant)


@bp.post("/<code>/join")
@limiter.limit("60/minute")
def join(code: str):
    """Join the workshop; a signed cookie remembers the participant on this browser."""
    workshop = workshops.by_code(code)
    if _current(workshop) is not None:
        # A second tap on "Join", or a form re-sent from the browser's history: already in.
        return redirect(url_for(".home", code=workshop.code))
    form = JoinForm()
    form.set_language(workshop.language)
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
            response = make_response(redirect(url_for(".home", code=workshop.code)))
            response.set_cookie(
                participants.cookie_name(workshop), participants.issue_token(participant), max_age=COOKIE_MAX_AGE,
                httponly=True, samesite="Lax", secure=request.is_secure,
            )
            return response
    return render_template("participant/join.html", workshop=workshop, form=form), 400


@bp.post("/<code>/leave")
def leave(code: str):
    """Forget this browser's participant (to join again as someone else)."""
    workshop = workshops.by_code(code)
    response = make_response(redirect(url_for(".home", code=workshop.code)))
    response.delete_cookie(participants.cookie_name(workshop))
    return response


@bp.get("/<code>/qr.svg")
def qr(code: str):
    """The join link as an SVG QR code."""
    workshop = workshops.by_code(code)
    return Response(qr_svg(join_url(workshop.code)), mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})
