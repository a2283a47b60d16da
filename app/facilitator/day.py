"""The rest of the day: agenda, people and groups, surveys, worksheets (pages and fallbacks)."""
from __future__ import annotations

import hashlib
import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app import i18n, jobs, transaction
from app.errors import DomainError
from app.facilitator import bp, managed
from app.facilitator.forms import QUESTION_KINDS, ActionForm, AgendaItemForm, GroupsForm, QuestionForm, RosterForm, SurveyForm
from app.realtime import broadcast
from app.rounds import kind_of
from app.services import agenda, participants, roster, rounds, surveys, worksheets
from app.templating import public_url, qr_svg


def _check_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _flash_error(exc: DomainError) -> None:
    flash(exc.message, "error")


# --- agenda -------------------------------------------------------------------------------
@bp.route("/<code>/agenda", methods=["GET", "POST"])
@managed
def agenda_page(workshop):
    """The agenda: timed items, the "now" marker, add and reorder."""
    form = AgendaItemForm()
    form.round_id.choices = [SelectChoice(0, "—")] + [SelectChoice(r.id, r.title) for r in workshop.rounds]
    if form.validate_on_submit():
        try:
            transaction.run(lambda: agenda.add_item(workshop, start=form.start.data or "", duration=form.duration.data,
                                                    title=form.title.data, who=form.who.data or "", round_id=form.round_id.data))
        except DomainError as exc:
            form.title.errors.append(exc.message)
        else:
            broadcast.to_everyone(workshop, "agenda", agenda.payload(workshop))
            return redirect(url_for(".agenda_page", code=workshop.code))
    return render_template("facilitator/agenda.html", workshop=workshop, form=form, action=ActionForm(),
                           items=agenda.items(workshop)), 400 if form.errors else 200


@bp.post("/<code>/agenda/<int:item_id>/<verb>")
@managed
def agenda_action(workshop, item_id: int, verb: str):
    """Mark an item as now, move it up or down, or delete it."""
    _check_action()
    item = agenda.get_item(workshop, item_id)
    order = [i.id for i in agenda.items(workshop)]
    if verb == "now":
        action = lambda: agenda.set_now(workshop, None if item.is_now else item.id)  # noqa: E731
    elif verb in ("up", "down"):
        n = order.index(item.id)
        m = n - 1 if verb == "up" else n + 1
        if 0 <= m < len(order):
            order[n], order[m] = order[m], order[n]
        action = lambda: agenda.reorder(workshop, order)  # noqa: E731
    elif verb == "delete":
        action = lambda: agenda.delete_item(item)  # noqa: E731
    else:
        abort(404)
    transaction.run(action)
    broadcast.to_everyone(workshop, "agenda", agenda.payload(workshop))
    return redirect(url_for(".agenda_page", code=workshop.code))


# --- people and groups ----------------------------------------------------------------------
@bp.get("/<code>/people")
@managed
def people(workshop):
    """Participants (joined and from the roster), groups, and personal join links."""
    return render_template("facilitator/people.html", workshop=workshop, roster_form=RosterForm(),
                           groups_form=GroupsForm(), action=ActionForm())


@bp.post("/<code>/people/import")
@managed
def import_roster(workshop):
    """Import participants from a CSV file (a job: its page shows the result, then the people page)."""
    form = RosterForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for(".people", code=workshop.code))
    raw = form.file.data.read()
    job = jobs.submit("roster_import", workshop=workshop, user=current_user, input=raw,
                      key_parts=(hashlib.sha256(raw).hexdigest(),), again=True)
    return redirect(url_for(".job_page", job_id=job.id))


@bp.post("/<code>/people/import-demo")
@managed
def import_demo_roster(workshop):
    """Import the 2019 workshop's roster (organisations and sectors)."""
    from app.demo import load_fixture

    _check_action()
    added = transaction.run(lambda: roster.import_organisations(workshop, load_fixture()["organisations"]))
    flash(ngettext("Imported %(num)d participant from the 2019 roster.",
                   "Imported %(num)d participants from the 2019 roster.", len(added)))
    broadcast.participants_changed(workshop)
    return redirect(url_for(".people", code=workshop.code))


@bp.post("/<code>/groups")
@managed
def assign_groups(workshop):
    """Split everyone into cross-sector groups."""
    form = GroupsForm()
    if form.validate_on_submit():
        try:
            transaction.run(lambda: roster.assign_groups(workshop, form.count.data))
        except DomainError as exc:
            _flash_error(exc)
        else:
            flash(ngettext("Made %(num)d group.", "Made %(num)d groups.", form.count.data))
            broadcast.round_state(workshop)
    return redirect(url_for(".people", code=workshop.code))


@bp.post("/<code>/people/<int:participant_id>/group")
@managed
def move_participant(workshop, participant_id: int):
    """Move one participant to another group."""
    _check_action()
    participant = roster.get_participant(workshop, participant_id)
    raw = request.form.get("group_id", "")
    group = roster.get_group(workshop, raw) if raw else None
    transaction.run(lambda: roster.move(participant, group))
    broadcast.round_state(workshop)
    return redirect(url_for(".people", code=workshop.code) + f"#p{participant_id}")


@bp.post("/<code>/people/<int:participant_id>/revoke")
@managed
def revoke_participant(workshop, participant_id: int):
    """Sign a participant out everywhere (a lost phone, a wrong person); they can join again."""
    _check_action()
    participant = roster.get_participant(workshop, participant_id)
    transaction.run(lambda: participants.revoke(participant))
    broadcast.participant_signed_out(participant)
    flash(_("Signed out on every device; earlier links for this participant no longer work."))
    return redirect(url_for(".people", code=workshop.code) + f"#p{participant_id}")


@bp.get("/<code>/people/links")
@managed
def personal_links(workshop):
    """A printable sheet: one personal join link and QR code per participant, in the workshop's
    language (it is handed to the participants)."""
    i18n.use(workshop.language)
    links = []
    for p in workshop.participants:
        url = public_url("participant.personal", code=workshop.code, token=participants.issue_token(p))
        links.append({"participant": p, "url": url, "qr": qr_svg(url, scale=3)})
    return render_template("facilitator/personal_links.html", workshop=workshop, links=links)


# --- surveys --------------------------------------------------------------------------------
@bp.route("/<code>/surveys", methods=["GET", "POST"])
@managed
def surveys_page(workshop):
    """The workshop's surveys; create one."""
    form = SurveyForm()
    if form.validate_on_submit():
        try:
            survey = transaction.run(lambda: surveys.create_survey(workshop, title=form.title.data, intro=form.intro.data or "",
                                                                   anonymous=form.anonymous.data))
        except DomainError as exc:
            form.title.errors.append(exc.message)
        else:
            return redirect(url_for(".survey_page", code=workshop.code, survey_id=survey.id))
    return render_template("facilitator/surveys.html", workshop=workshop, form=form, surveys=surveys.surveys_of(workshop))


@bp.route("/<code>/surveys/<int:survey_id>", methods=["GET", "POST"])
@managed
def survey_page(workshop, survey_id: int):
    """Edit a survey's questions, open or close it, and see its results."""
    survey = surveys.get_survey(workshop, survey_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            transaction.run(lambda: surveys.add_question(
                survey, kind=form.kind.data, text=form.text.data, choices=form.choices.data or "",
                scale_min=form.scale_min.data if form.scale_min.data is not None else 1,
                scale_max=form.scale_max.data if form.scale_max.data is not None else 5, required=form.required.data))
        except DomainError as exc:
            form.text.errors.append(exc.message)
        else:
            return redirect(url_for(".survey_page", code=workshop.code, survey_id=survey.id))
    link = public_url("participant.survey", code=workshop.code, survey_id=survey.id)
    return render_template("facilitator/survey.html", workshop=workshop, survey=survey, form=form, action=ActionForm(),
                           summary=surveys.summary(survey), link=link, qr=qr_svg(link, scale=6), question_kinds=QUESTION_KINDS,
                           summary_json=json.dumps(surveys.summary(survey), ensure_ascii=False))


@bp.post("/<code>/surveys/<int:survey_id>/<verb>")
@managed
def survey_action(workshop, survey_id: int, verb: str):
    """Open or close a survey."""
    _check_action()
    survey = surveys.get_survey(workshop, survey_id)
    if verb not in ("open", "close"):
        abort(404)
    try:
        transaction.run(lambda: surveys.open_survey(survey) if verb == "open" else surveys.close_survey(survey))
    except DomainError as exc:
        _flash_error(exc)
    else:
        broadcast.round_state(workshop)
    return redirect(url_for(".survey_page", code=workshop.code, survey_id=survey.id))


# --- worksheets -----------------------------------------------------------------------------
@bp.get("/<code>/rounds/<int:round_id>/worksheets")
@managed
def worksheets_page(workshop, round_id: int):
    """The worked-out ideas of a worksheet round, editable live from the laptop too."""
    round_ = rounds.get_round(workshop, round_id)
    if not kind_of(round_).has_worksheets:
        abort(404)
    transaction.run(lambda: worksheets.ensure_worksheets(round_))
    return render_template("facilitator/worksheets.html", workshop=workshop, round=round_,
                           sheets=worksheets.sheets_payload(round_))
