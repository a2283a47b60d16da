"""Workshops list, create/edit, the console, and the console's no-JavaScript fallbacks."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import i18n, transaction
from app import jobs as job_runner
from app.errors import DomainError
from app.facilitator import bp, managed
from app.facilitator.forms import ActionForm, RoundForm, WorkshopForm
from app.realtime import broadcast
from app.services import ideas, rounds, state, workshops
from app.templating import join_url, qr_svg


@bp.before_request
@login_required
def _require_login():
    """Every facilitator page needs a login."""


@bp.get("/", endpoint="workshops")
def workshop_list():
    """The facilitator's workshops (the page after login)."""
    return render_template("facilitator/workshops.html", workshops=workshops.list_for(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new_workshop():
    """Create a workshop."""
    form = WorkshopForm()
    if form.validate_on_submit():
        try:
            workshop = transaction.run(lambda: workshops.create_workshop(
                current_user, title=form.title.data, date_=form.date.data, language=form.language.data,
                description=form.description.data or "", show_names=form.show_names.data,
                allow_anonymous=form.allow_anonymous.data, attribution_min=form.attribution_min.data,
            ))
        except DomainError as exc:
            form.title.errors.append(exc.message)
        else:
            flash(_("Workshop created. Participants join with code %(code)s.", code=workshop.code))
            return redirect(url_for(".console", code=workshop.code))
    return render_template("facilitator/workshop_form.html", form=form, workshop=None), 400 if form.errors else 200


@bp.route("/<code>/edit", methods=["GET", "POST"])
@managed
def edit_workshop(workshop):
    """Change a workshop's details and options."""
    form = WorkshopForm(obj=workshop)
    if form.validate_on_submit():
        try:
            transaction.run(lambda: workshops.update_workshop(
                workshop, title=form.title.data, date=form.date.data, language=form.language.data,
                description=form.description.data or "", show_names=form.show_names.data,
                allow_anonymous=form.allow_anonymous.data, join_open=form.join_open.data,
                attribution_min=form.attribution_min.data,
            ))
        except DomainError as exc:
            form.title.errors.append(exc.message)
        else:
            broadcast.round_state(workshop)
            flash(_("Saved."))
            return redirect(url_for(".console", code=workshop.code))
    return render_template("facilitator/workshop_form.html", form=form, workshop=workshop), 400 if form.errors else 200


def _round_form(workshop) -> RoundForm:
    return RoundForm().for_workshop(workshop)


@bp.get("/<code>")
@managed
def console(workshop):
    """The live console: rounds, ideas, tally, join code."""
    return render_template(
        "facilitator/console.html", workshop=workshop, round_form=_round_form(workshop), action=ActionForm(),
        initial=state.snapshot(workshop, state.FACILITATOR),
    )


@bp.post("/<code>/rounds")
@managed
def add_round(workshop):
    """Add a round."""
    form = _round_form(workshop)
    if form.validate_on_submit():
        try:
            transaction.run(lambda: rounds.add_round(workshop, kind=form.kind.data, title=form.title.data, settings=form.settings()))
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            broadcast.round_state(workshop)
            flash(_("Round added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for(".console", code=workshop.code))


def _round_action(workshop, round_id: int, action):
    if not ActionForm().validate_on_submit():
        abort(400)
    round_ = rounds.get_round(workshop, round_id)
    try:
        transaction.run(lambda: action(round_))
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        broadcast.round_state(workshop)
        if round_.result_pending:
            job_runner.count_results(workshop, current_user._get_current_object())
    return redirect(url_for(".console", code=workshop.code))


@bp.post("/<code>/rounds/<int:round_id>/open")
@managed
def open_round(workshop, round_id: int):
    """Open (or reopen) a round."""
    return _round_action(workshop, round_id, rounds.open_round)


@bp.post("/<code>/rounds/<int:round_id>/close")
@managed
def close_round(workshop, round_id: int):
    """Close a round and store its result (a large round's result follows from a job)."""
    return _round_action(workshop, round_id, lambda r: rounds.close_round(r, defer=rounds.counts_in_job(r)))


@bp.post("/<code>/rounds/<int:round_id>/reveal")
@managed
def reveal_round(workshop, round_id: int):
    """Toggle whether the round's results are shown on phones and the projector."""
    return _round_action(workshop, round_id, lambda r: rounds.set_revealed(r, not r.results_revealed))


@bp.post("/<code>/ideas/<int:idea_id>/hide")
@managed
def hide_idea(workshop, idea_id: int):
    """Toggle an idea's hidden flag."""
    if not ActionForm().validate_on_submit():
        abort(400)
    idea = ideas.get_idea(workshop, idea_id)
    transaction.run(lambda: ideas.set_hidden(idea, not idea.hidden))
    broadcast.idea_changed(idea, added=False)
    return redirect(url_for(".console", code=workshop.code))


@bp.get("/<code>/join-sheet")
@managed
def join_sheet(workshop):
    """A printable page with the join code, link and QR code, in the workshop's language: it is
    put up for the participants."""
    i18n.use(workshop.language)
    return render_template("facilitator/join_sheet.html", workshop=workshop, qr=qr_svg(join_url(workshop.code), scale=10))
