"""The report's outline: made on first need in the workshop's language, kept in step with the
workshop, edited with versions, moved, added to and pruned; the report's options; the backup."""
from __future__ import annotations

import json

import pytest

from app import i18n, transaction
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.models import AgendaItem, ReportSection
from app.services import agenda, backup, report_outline, reporting, rounds, surveys

ALL_KINDS = ["summary", "introduction", "background", "text", "talk", "talk", "round", "round", "talk", "survey",
             "conclusion", "next_steps", "agenda", "participants", "method"]


@pytest.fixture
def day(make):
    """A workshop's day: two talks, a brainstorm run at 10:00, lunch, a closing talk, a dot vote, a survey."""
    def build(language="en"):
        w = make.workshop("Day", language=language)
        people = make.participants(w, 4)
        b = make.round(w, "brainstorm", "Ideas", open_=True)
        ideas = make.ideas(b, people, ["Alpha", "Beta", "Gamma"])
        d = make.round(w, "dot_vote", "Dots", source=b, budget=3, cap=3)

        def plan():
            agenda.add_item(w, start="09:00", duration=10, title="Welcome", who="Research Council")
            agenda.add_item(w, start="09:10", duration=20, title="The action plan", who="Health authority")
            agenda.add_item(w, start="10:00", title="Brainstorm", who="Everyone", round_id=b.id)
            agenda.add_item(w, start="11:50", title="Lunch")
            agenda.add_item(w, start="13:30", title="Closing words", who="Research Council")
            surveys.create_survey(w, title="Evaluation")

        transaction.run(plan)
        return w, people, b, d, ideas

    return build


def kinds(sections):
    return [s.kind for s in sections]


def titles(w):
    ws = report_outline._Workshop(w)
    return [s.title or ws.default_title(s) for s in report_outline._stored(w)]


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Summary", "Introduction", "Background", "Introductory talks", "Welcome", "The action plan", "Ideas", "Dots",
            "Closing words", "Survey: Evaluation", "Conclusion", "Next steps", "Agenda", "Participants", "Method"]),
    ("nb", ["Sammendrag", "Introduksjon", "Bakgrunn", "Innledende presentasjoner", "Welcome", "The action plan", "Ideas",
            "Dots", "Closing words", "Spørreundersøkelse: Evaluation", "Konklusjon", "Veien videre", "Program",
            "Deltakerliste", "Metode"]),
    ("nn", ["Samandrag", "Introduksjon", "Bakgrunn", "Innleiande presentasjonar", "Welcome", "The action plan", "Ideas",
            "Dots", "Closing words", "Spørjeundersøking: Evaluation", "Konklusjon", "Vegen vidare", "Program",
            "Deltakarliste", "Metode"]),
])
def test_the_default_outline_in_the_workshops_language(day, lang, expected):
    w, *_ = day(lang)
    # Whoever asks (an English-speaking facilitator here): the titles are the workshop's language.
    with i18n.in_language("en"):
        sections = transaction.run(lambda: report_outline.ensure_outline(w))
        assert kinds(sections) == ALL_KINDS
        assert titles(w) == expected
    # Talks before the first round are sections of the talks' chapter; the closing talk is a chapter.
    assert [(s.kind, s.level) for s in sections if s.kind == "talk"] == [("talk", 2), ("talk", 2), ("talk", 1)]
    assert [s.position for s in sections] == list(range(1, len(sections) + 1))
    # Lunch (nobody) and the brainstorm's slot (it runs a round) are not talks.
    talks = [db.session.get(AgendaItem, s.agenda_item_id).title for s in sections if s.kind == "talk"]
    assert talks == ["Welcome", "The action plan", "Closing words"]


def test_reading_the_outline_for_a_report_writes_nothing(day):
    w, *_ = day()
    report = reporting.workshop_report(w)
    assert [s["kind"] for s in report["outline"]] == ALL_KINDS and all(s["id"] is None for s in report["outline"])
    assert db.session.query(ReportSection).count() == 0
    transaction.run(lambda: report_outline.ensure_outline(w))
    stored = db.session.query(ReportSection).count()
    # In step already: a second call changes nothing.
    transaction.run(lambda: report_outline.ensure_outline(w))
    assert db.session.query(ReportSection).count() == stored == len(ALL_KINDS)


def test_a_round_survey_or_talk_added_later_gets_its_section_in_place(day, make):
    w, people, b, d, _ = day()
    transaction.run(lambda: report_outline.ensure_outline(w))
    # The organisers moved the conclusion up; new sections still land after their neighbours.
    conclusion = next(s for s in report_outline._stored(w) if s.kind == "conclusion")
    for _ in range(3):
        transaction.run(lambda: report_outline.move_section(w, conclusion, "up"))
    r = make.round(w, "rank", "Ranking", source=d)
    transaction.run(lambda: surveys.create_survey(w, title="Later"))
    late = transaction.run(lambda: agenda.add_item(w, start="09:30", title="A late talk", who="Industry"))
    order = [i.id for i in agenda.items(w)]
    transaction.run(lambda: agenda.reorder(w, order[:2] + [late.id] + order[2:-1]))
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    order = [(s.kind, s.round_id or s.survey_id or s.agenda_item_id) for s in sections]
    assert order.index(("round", r.id)) == order.index(("round", d.id)) + 1
    late_survey = max(s.survey_id for s in sections if s.kind == "survey")
    assert [k for k, _ in order].count("survey") == 2
    assert order.index(("survey", late_survey)) == max(i for i, (k, _) in enumerate(order) if k == "survey")
    late_talk = next(s for s in sections if s.kind == "talk" and db.session.get(AgendaItem, s.agenda_item_id).title == "A late talk")
    # The new talk is the last of the talks' chapter (the agenda lists it after the two others).
    assert late_talk.level == 2 and sections[sections.index(late_talk) - 1].kind == "talk"
    assert sections[sections.index(late_talk) + 1].kind == "round"


def test_a_deleted_agenda_item_takes_its_empty_section_and_orphans_a_written_one(day):
    w, *_ = day()
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    welcome, plan = [s for s in sections if s.kind == "talk"][:2]
    transaction.run(lambda: report_outline.edit_section(plan, base_version=0, editor="F", body="What was said."))
    for section in (welcome, plan):
        item = db.session.get(AgendaItem, section.agenda_item_id)
        transaction.run(lambda item=item: agenda.delete_item(item))
    db.session.expire_all()
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    assert db.session.get(ReportSection, welcome.id) is None
    kept = db.session.get(ReportSection, plan.id)
    ws = report_outline._Workshop(w)
    assert kept in sections and report_outline.is_orphaned(kept, ws) and kept.body == "What was said."
    payload = report_outline.section_payload(kept, ws)
    assert payload["orphaned"] and payload["deletable"] and payload["default_title"] == "A deleted agenda item"
    # Left out of the files, and the organisers can delete it.
    assert plan.id not in [s["id"] for s in reporting.workshop_report(w)["outline"]]
    transaction.run(lambda: report_outline.delete_section(w, kept))
    assert db.session.get(ReportSection, plan.id) is None


def test_a_deleted_talks_chapter_stays_deleted(day):
    w, *_ = day()
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    chapter = next(s for s in sections if s.kind == "text")
    transaction.run(lambda: report_outline.delete_section(w, chapter))
    transaction.run(lambda: agenda.add_item(w, start="09:40", title="Another talk", who="Patients"))
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    assert "text" not in kinds(sections) and kinds(sections).count("talk") == 4


def test_edits_keep_versions_and_a_stale_save_is_a_conflict(day):
    w, *_ = day()
    intro = next(s for s in transaction.run(lambda: report_outline.ensure_outline(w)) if s.kind == "introduction")
    transaction.run(lambda: report_outline.edit_section(intro, base_version=0, editor="Kari", body="Goals.", title="Goals"))
    assert (intro.version, intro.body, intro.title, intro.updated_by) == (1, "Goals.", "Goals", "Kari")
    with pytest.raises(Conflict) as exc:
        report_outline.edit_section(intro, base_version=0, editor="Ola", body="Mine.")
    db.session.rollback()
    assert exc.value.code == "edit_conflict" and "Kari changed this section" in exc.value.message
    assert exc.value.details["current"] == {"title": "Goals", "body": "Goals.", "included": True, "version": 1,
                                            "updated_by": "Kari"}
    # The default title (or none) is not stored: the section follows its default again.
    transaction.run(lambda: report_outline.edit_section(intro, base_version=1, editor="Ola", title="Introduction"))
    assert intro.title == "" and intro.version == 2
    transaction.run(lambda: report_outline.edit_section(intro, base_version=2, editor="Ola", included=False))
    assert intro.included is False
    with pytest.raises(DomainError) as exc:
        report_outline.edit_section(intro, base_version="two", editor="Ola", body="x")
    assert exc.value.code == "bad_request"


@pytest.mark.parametrize("lang, fields, code, words", [
    ("en", {"body": "x" * (ReportSection.BODY_MAX + 1)}, "body_too_long", "A section's text can be at most 20000 characters"),
    ("nb", {"body": "x" * (ReportSection.BODY_MAX + 1)}, "body_too_long", "Teksten i et kapittel kan være på høyst 20000 tegn"),
    ("en", {"title": "t" * 201}, "title_too_long", "A section's title can be at most 200 characters (this one has 201)"),
    ("nb", {"title": "t" * 201}, "title_too_long", "Tittelen på et kapittel kan være på høyst 200 tegn (denne har 201)"),
    ("en", {"body": 5}, "bad_body", "Send the section's text as text."),
    ("en", {"included": "yes"}, "bad_included", "true or false"),
    ("nb", {"data": {"rows": []}}, "bad_data", "Dette kapitlet har ingen oppsummeringer eller rader"),
])
def test_bad_input_is_refused_with_a_message_in_the_readers_language(day, lang, fields, code, words):
    w, *_ = day()
    intro = next(s for s in transaction.run(lambda: report_outline.ensure_outline(w)) if s.kind == "introduction")
    with pytest.raises(DomainError) as exc:
        report_outline.edit_section(intro, base_version=0, editor="F", **fields)
    db.session.rollback()
    assert exc.value.code == code
    with i18n.in_language(lang):
        assert words in exc.value.message
    # Nothing was cut or saved.
    assert intro.version == 0 and intro.body == "" and intro.title == ""


def test_syntheses_and_rows_are_checked_and_stored(make):
    w = make.workshop("Measures")
    make.round(w, "comment", "Measures", items="First measure\nSecond measure")
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    measures = next(s for s in sections if s.kind == "round")
    steps = next(s for s in sections if s.kind == "next_steps")
    transaction.run(lambda: report_outline.edit_section(
        measures, base_version=0, editor="F", data={"syntheses": {"1": "Agreed.", "0": "  "}}))
    assert measures.data == {"syntheses": {"1": "Agreed."}}
    for value, code in (({"syntheses": {"2": "x"}}, "unknown_item"), ({"syntheses": {"x": "y"}}, "unknown_item"),
                        ({"syntheses": {"0": 3}}, "bad_data"), ({"syntheses": []}, "bad_data"), ({"other": 1}, "bad_data"),
                        ({"syntheses": {"0": "z" * (ReportSection.BODY_MAX + 1)}}, "synthesis_too_long")):
        with pytest.raises(DomainError) as exc:
            report_outline.edit_section(measures, base_version=1, editor="F", data=value)
        db.session.rollback()
        assert exc.value.code == code, value
    row = {"action": "Meet again", "owner": "Org A", "when": "May"}
    transaction.run(lambda: report_outline.edit_section(steps, base_version=0, editor="F", data={"rows": [row, {}]}))
    assert steps.data["rows"] == [row, {"action": "", "owner": "", "when": ""}]
    # Empty rows are kept for the editor but not written into the files.
    outline = reporting.workshop_report(w)["outline"]
    assert next(s for s in outline if s["kind"] == "next_steps")["rows"] == [row]
    assert next(s for s in outline if s["kind"] == "round")["syntheses"] == {"1": "Agreed."}
    for value, code in (([row] * 51, "too_many_rows"), ([{"who": "x"}], "bad_row"), (["x"], "bad_row"),
                        ([{"action": "a" * 501}], "row_too_long"), ([{"when": "w" * 101}], "row_too_long"), ({}, "bad_data")):
        with pytest.raises(DomainError) as exc:
            report_outline.edit_section(steps, base_version=1, editor="F", data={"rows": value})
        db.session.rollback()
        assert exc.value.code == code, value
    # A round that comments on nothing has no syntheses.
    b = make.round(w, "brainstorm", "Ideas")
    ideas = next(s for s in transaction.run(lambda: report_outline.ensure_outline(w)) if s.round_id == b.id)
    with pytest.raises(DomainError) as exc:
        report_outline.edit_section(ideas, base_version=0, editor="F", data={"syntheses": {"0": "x"}})
    assert exc.value.code == "bad_data"


def test_moving_a_chapter_takes_its_sections_along(day):
    w, *_ = day()
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    chapter = next(s for s in sections if s.kind == "text")
    transaction.run(lambda: report_outline.move_section(w, chapter, "up"))
    assert kinds(report_outline._stored(w))[:6] == ["summary", "introduction", "text", "talk", "talk", "background"]
    transaction.run(lambda: report_outline.move_section(w, chapter, "down"))
    assert kinds(report_outline._stored(w))[:6] == ["summary", "introduction", "background", "text", "talk", "talk"]
    # A talk moves past its neighbour, and up out of its chapter into the one before.
    first_talk = next(s for s in report_outline._stored(w) if s.kind == "talk")
    transaction.run(lambda: report_outline.move_section(w, first_talk, "down"))
    assert report_outline._stored(w)[5] is first_talk
    for _ in range(2):
        transaction.run(lambda: report_outline.move_section(w, first_talk, "up"))
    assert kinds(report_outline._stored(w))[:5] == ["summary", "introduction", "background", "talk", "text"]
    # At the ends nothing moves.
    summary = report_outline._stored(w)[0]
    transaction.run(lambda: report_outline.move_section(w, summary, "up"))
    assert report_outline._stored(w)[0] is summary
    with pytest.raises(DomainError) as exc:
        report_outline.move_section(w, summary, "left")
    assert exc.value.code == "bad_direction"


def test_own_sections_are_added_and_deleted_and_others_only_left_out(day, make):
    w, *_ = day()
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    own = transaction.run(lambda: report_outline.add_section(w, title="Lessons learnt"))
    stored = report_outline._stored(w)
    assert stored[stored.index(own) + 1].kind == "agenda" and own.level == 1 and own.kind == "text"
    chapter = next(s for s in sections if s.kind == "text")
    after = transaction.run(lambda: report_outline.add_section(w, title="After the talks", after=chapter.id))
    stored = report_outline._stored(w)
    assert stored[stored.index(after) - 1].kind == "talk" and stored[stored.index(after) + 1].kind == "round"
    with pytest.raises(DomainError) as exc:
        report_outline.add_section(w, title="  ")
    db.session.rollback()
    assert exc.value.code == "title_required"
    with pytest.raises(DomainError) as exc:
        report_outline.edit_section(own, base_version=0, editor="F", title="")
    db.session.rollback()
    assert exc.value.code == "title_required"
    with pytest.raises(DomainError) as exc:
        report_outline.delete_section(w, next(s for s in sections if s.kind == "conclusion"))
    db.session.rollback()
    assert exc.value.code == "not_deletable"
    transaction.run(lambda: report_outline.delete_section(w, own))
    assert own not in report_outline._stored(w)
    other = make.workshop("Other")
    with pytest.raises(NotFound):
        report_outline.get_section(other, after.id)


def _closed_votes(make, day):
    w, people, b, d, ideas = day()
    transaction.run(lambda: rounds.open_round(d))
    for person, idea in zip(people, [ideas[0], ideas[0], ideas[1], ideas[2]]):
        make.dots(person, d, idea, 2)
    transaction.run(lambda: rounds.close_round(d))
    r = make.round(w, "rank", "Ranking", source=d)
    transaction.run(lambda: rounds.open_round(r))
    for person in people:
        make.vote(person, r, "submit_ballot", ballot=[ideas[2].id, ideas[1].id, ideas[0].id])
    transaction.run(lambda: rounds.close_round(r))
    return w, b, d, r, ideas


def test_the_report_options_choose_the_final_round_and_how_many_are_recommended(make, day):
    w, b, d, r, ideas = _closed_votes(make, day)
    assert [x.id for x in report_outline.final_round_choices(w)] == [d.id, r.id]
    assert report_outline.resolved_options(w) == {"final_round": r.id, "chosen": False, "recommended": 3, "ideas": 3}
    report = reporting.workshop_report(w)
    assert report["final"]["round_id"] == r.id and report["options"] == {"final_round": r.id, "recommended": 3, "chosen": False}
    transaction.run(lambda: report_outline.set_report_options(w, final_round=d.id, recommended=1))
    report = reporting.workshop_report(w)
    assert report["final"]["round_id"] == d.id and report["options"]["recommended"] == 1 and report["options"]["chosen"]
    assert report["final"]["standings"][0]["title"] == "Alpha"
    for final, recommended, code in ((b.id, None, "not_a_final_round"), (999999, None, "not_a_final_round"),
                                     ("x", None, "bad_request"), (None, 4, "bad_recommended"), (None, 0, "bad_recommended"),
                                     (None, "two", "bad_recommended")):
        with pytest.raises(DomainError) as exc:
            report_outline.set_report_options(w, final_round=final, recommended=recommended)
        db.session.rollback()
        assert exc.value.code == code, (final, recommended)
    with pytest.raises(DomainError) as exc:
        report_outline.set_report_options(w, final_round=b.id)
    with i18n.in_language("nb"):
        assert "«Ideas» kan ikke gi de endelige prioriteringene" in exc.value.message
    db.session.rollback()
    # Back to automatic.
    transaction.run(lambda: report_outline.set_report_options(w, final_round="", recommended=""))
    assert w.report_options == {} and reporting.workshop_report(w)["final"]["round_id"] == r.id


def test_the_backup_holds_the_sections_and_options(make, day):
    w, b, d, r, ideas = _closed_votes(make, day)
    sections = transaction.run(lambda: report_outline.ensure_outline(w))
    talk = next(s for s in sections if s.kind == "talk")
    steps = next(s for s in sections if s.kind == "next_steps")
    transaction.run(lambda: report_outline.edit_section(talk, base_version=0, editor="Kari", body="<b>Said</b>", title="Opening"))
    transaction.run(lambda: report_outline.edit_section(steps, base_version=0, editor="Kari",
                                                        data={"rows": [{"action": "Go", "owner": "Us", "when": "Now"}]}))
    transaction.run(lambda: report_outline.set_report_options(w, final_round=d.id, recommended=2))
    transaction.run(lambda: report_outline.add_section(w, title="Own", after=talk.id))
    first = backup.dump(w)
    assert first["workshop"]["report_options"] == {"final_round": "r2", "recommended": 2}
    assert len(first["report_sections"]) == len(sections) + 1
    written = next(s for s in first["report_sections"] if s["title"] == "Opening")
    assert written["agenda_item"] == 0 and written["body"] == "<b>Said</b>" and written["version"] == 1
    assert next(s for s in first["report_sections"] if s["kind"] == "round" and s["round"] == "r2")
    copy_ = transaction.run(lambda: backup.restore(json.loads(json.dumps(first)), None))
    second = backup.dump(copy_)
    strip = lambda doc: {k: v for k, v in doc.items() if k != "workshop"}  # noqa: E731
    assert strip(second) == strip(first) and second["workshop"]["report_options"] == first["workshop"]["report_options"]
    assert [s["kind"] for s in reporting.workshop_report(copy_)["outline"]] == \
        [s["kind"] for s in reporting.workshop_report(w)["outline"]]
    assert reporting.workshop_report(copy_)["options"]["final_round"] == next(x.id for x in copy_.rounds if x.title == "Dots")


@pytest.mark.parametrize("change, path", [
    (lambda doc: doc["report_sections"][0].update(kind="poem"), "report_sections[0].kind"),
    (lambda doc: doc["report_sections"][0].update(round="r99"), "report_sections[0].round"),
    (lambda doc: doc["report_sections"][0].update(agenda_item=40), "report_sections[0].agenda_item"),
    (lambda doc: doc["report_sections"][0].update(body="x" * 20001), "report_sections[0].body"),
    (lambda doc: doc["report_sections"][0].update(data={"rows": "no"}), "report_sections[0].data"),
    (lambda doc: doc["report_sections"][0].update(data={"role": "boss"}), "report_sections[0].data.role"),
    # Next-step rows on the summary: refused as the Report page refuses them.
    (lambda doc: doc["report_sections"][0].update(data={"rows": [{"action": "A", "owner": "B", "when": "C"}]}),
     "report_sections[0].data"),
    (lambda doc: doc["workshop"].update(report_options={"final_round": "r9"}), "workshop.report_options.final_round"),
    (lambda doc: doc["workshop"].update(report_options={"colour": "red"}), "workshop.report_options"),
])
def test_a_backup_with_bad_sections_is_refused_where_they_are_wrong(make, day, change, path):
    w, *_ = day()
    transaction.run(lambda: report_outline.ensure_outline(w))
    doc = json.loads(json.dumps(backup.dump(w)))
    change(doc)
    with pytest.raises(DomainError) as exc:
        backup.restore(doc, None)
    db.session.rollback()
    assert exc.value.details.get("path") == path, exc.value.message


def test_a_second_outline_made_at_the_same_time_is_pruned(day):
    w, *_ = day()
    first = transaction.run(lambda: report_outline.ensure_outline(w))
    # As if a second first visit had made its own outline meanwhile.
    twins = [ReportSection(workshop_id=w.id, kind=s.kind, level=s.level, position=s.position, title="", body="",
                           included=True, data=dict(s.data or {}), version=0, updated_by="", round_id=s.round_id,
                           survey_id=s.survey_id, agenda_item_id=s.agenda_item_id) for s in first]
    twins[1].body = "Written in the twin."
    transaction.run(lambda: db.session.add_all(twins))
    again = transaction.run(lambda: report_outline.ensure_outline(w))
    assert len(again) == len(first) + 1 and twins[1] in again and kinds(again).count("introduction") == 2
    assert [s.id for s in again if s is not twins[1]] == [s.id for s in first]
