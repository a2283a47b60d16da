"""The whole day at the service level: agenda, timers, roster and groups, curation, comments,
worksheets, survey."""
import json
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from app.errors import Conflict, DomainError, Forbidden
from app.extensions import db
from app.models import SurveyResponse
from app.services import (
    agenda,
    ballots,
    comments,
    curation,
    ideas,
    participants,
    roster,
    rounds,
    state,
    surveys,
    timers,
    worksheets,
)

FIXTURE = json.loads((Path(__file__).resolve().parents[2] / "app" / "demo" / "workshop-2019.json").read_text(encoding="utf-8"))


@pytest.fixture
def workshop(make):
    return make.workshop("Day", language="nb")


def test_agenda_items_order_and_now_marker(workshop):
    items = [agenda.add_item(workshop, start=i["start"], title=i["title"], who=i["who"]) for i in FIXTURE["agenda"]]
    assert len(agenda.items(workshop)) == 11
    with pytest.raises(DomainError) as exc:
        agenda.add_item(workshop, start="25:00", title="Late")
    assert exc.value.code == "bad_time"
    with pytest.raises(DomainError):
        agenda.add_item(workshop, start="09:00", title="")
    agenda.set_now(workshop, items[5].id)
    payload = agenda.payload(workshop)
    assert payload["now"] == items[5].id and payload["next"] == items[6].id
    order = [i.id for i in items][::-1]
    agenda.reorder(workshop, order)
    assert [i.id for i in agenda.items(workshop)] == order
    with pytest.raises(DomainError):
        agenda.reorder(workshop, order[:-1])
    agenda.set_now(workshop, None)
    assert agenda.payload(workshop)["now"] is None


def test_timer_is_owned_by_the_server(workshop, monkeypatch):
    r = rounds.add_round(workshop, kind="brainstorm", title="Ideas")
    with pytest.raises(Conflict):
        timers.start(r, 60)
    rounds.open_round(r)
    timers.start(r, 300, auto_close=True)
    assert 299 <= timers.remaining(r) <= 300
    timers.pause(r)
    left = r.timer_remaining
    timers.extend(r, 60)
    assert r.timer_remaining == pytest.approx(left + 60)
    timers.resume(r)
    assert timers.payload(r)["running"] and not timers.is_due(r)
    # Move the clock past the end: the timer is due and closes the round.
    from app.services import timers as timer_module

    later = r.timer_ends_at + timedelta(seconds=1)
    monkeypatch.setattr(timer_module, "utcnow", lambda: later)
    assert timers.is_due(r) and timers.remaining(r) == 0
    with pytest.raises(DomainError):
        timers.start(r, 0)


def test_roster_import_csv(workshop):
    csv_text = (
        "navn;organisasjon;sektor;e-post\n"
        "Kari Nordmann;Oslo universitetssykehus;Helsetjeneste;kari@example.org\n"
        "Ola;Novartis;industry;\n"
        "Per;Pirates Inc;piracy;\n"
        "Liv;NTNU;research;not-an-email\n"
    )
    result = roster.import_csv(workshop, csv_text)
    assert [p.name for p in result.added] == ["Kari Nordmann", "Ola"]
    assert result.added[0].sector == "health_service" and result.added[0].email == "kari@example.org"
    assert any("Line 4" in e and "piracy" in e for e in result.errors)
    assert any("Line 5" in e for e in result.errors)
    with pytest.raises(DomainError):
        roster.import_csv(workshop, "")
    with pytest.raises(DomainError):
        roster.import_csv(workshop, "foo,bar\n1,2\n")
    token = participants.issue_token(result.added[0])
    assert participants.from_token(workshop, token).id == result.added[0].id


def test_cross_sector_groups_on_the_2019_roster(workshop):
    people = roster.import_organisations(workshop, FIXTURE["organisations"])
    assert len(people) == 53
    for n_groups in (4, 6, 8):
        groups = roster.assign_groups(workshop, n_groups, rng=random.Random(n_groups))
        db.session.flush()
        sizes = [len(g.members) for g in groups]
        assert sum(sizes) == 53 and max(sizes) - min(sizes) <= 1
        sector_total = Counter(p.sector for p in people)
        for g in groups:
            sectors = Counter(p.sector for p in g.members)
            # The roster has 14 from health services and 16 from industry: every group gets both.
            assert sectors["health_service"] >= 1 and sectors["industry"] >= 1, (n_groups, g.name, sectors)
            for sector, total in sector_total.items():
                assert abs(sectors[sector] - total / n_groups) < 1, (sector, sectors[sector], total, n_groups)
            # Nobody shares a group with a colleague while the organisation has fewer people than groups.
            orgs = Counter(p.organisation for p in g.members)
            for org, count in orgs.items():
                org_total = sum(1 for p in people if p.organisation == org)
                assert count <= -(-org_total // n_groups), (org, count)
    with pytest.raises(DomainError):
        roster.assign_groups(workshop, 0)
    g0, g1 = workshop.groups[0], workshop.groups[1]
    p = g0.members[0]
    roster.move(p, g1)
    assert p.group_id == g1.id


@pytest.fixture
def room(make, workshop):
    """``room(n)``: n participants of alternating sectors and an open brainstorm."""

    def make_room(n=6):
        people = make.participants(workshop, n, sectors=["industry" if i % 2 else "health_service" for i in range(n)])
        return people, make.round(workshop, "brainstorm", "Ideas", open_=True)

    return make_room


def test_merge_keeps_votes_without_double_counting_and_can_be_undone(workshop, room, make):
    people, b = room()
    a, dup, other = make.ideas(b, people[:1], ["Data platform", "Common data platform", "Other"])
    d = make.round(workshop, "dot_vote", "Dots", open_=True, source=b, budget=5, cap=3)
    # P0 put 2 dots on each duplicate (4 in total); P1 put 1 on the duplicate only; P2 3 on "Other".
    for p, idea, count in [(people[0], a, 2), (people[0], dup, 2), (people[1], dup, 1), (people[2], other, 3)]:
        make.dots(p, d, idea, count)
    before = {s.option: s.score for s in rounds.compute_result(d).standings}
    assert before == {a.id: 2, dup.id: 3, other.id: 3}
    [record] = curation.merge(workshop, a.id, [dup.id])
    db.session.commit()
    after = {s.option: s.score for s in rounds.compute_result(d).standings}
    # P0's 2 + 2 are capped at 3; P1's 1 comes along: 4. The duplicate is gone from the vote.
    assert after == {a.id: 4, other.id: 3}
    assert dup.id not in [i["id"] for i in state.snapshot(workshop, state.PARTICIPANT, people[3])["options"]]
    with pytest.raises(Conflict):
        curation.merge(workshop, a.id, [dup.id])
    curation.undo_merge(workshop, record.id)
    db.session.commit()
    assert {s.option: s.score for s in rounds.compute_result(d).standings} == before
    assert curation.merges_of(workshop)[0]["undone"] is True
    curation.edit_idea(a, title="Common data platform for health data")
    curation.set_theme(a, "Data")
    assert a.title.startswith("Common") and a.theme == "Data"
    with pytest.raises(DomainError):
        curation.edit_idea(a, title="x" * 121)


def test_group_brainstorm_then_group_vote_then_plenary(workshop, room, make, op_id):
    people, b = room(8)
    groups = roster.assign_groups(workshop, 2, rng=random.Random(1))
    b.settings = {"per_group": True}
    db.session.commit()
    made = {}
    for p in people:
        made[p.id] = ideas.submit_idea(p, b, op_id=op_id(), title=f"Idea of {p.name}").idea
    assert all(made[p.id].group_id == p.group_id for p in people)
    s = state.snapshot(workshop, state.PARTICIPANT, people[0])
    assert {i["group_id"] for i in s["ideas"]} == {people[0].group_id}
    g = rounds.add_round(workshop, kind="dot_vote", title="Group vote",
                         settings={"source_round_id": b.id, "per_group": True, "group_top_n": 2, "budget": 3, "cap": 3})
    rounds.open_round(g)
    db.session.commit()
    for p in people:
        mine = [i for i in ballots.kind_of(g).options_for(g, p)]
        assert {i.group_id for i in mine} == {p.group_id}
        # Everyone gives 2 dots to their group's first idea and 1 to its second.
        first, second = sorted(mine, key=lambda i: i.id)[:2]
        make.dots(p, g, first, 2)
        make.dots(p, g, second, 1)
    other_groups_idea = next(i for i in made.values() if i.group_id != people[0].group_id)
    with pytest.raises(DomainError):
        ballots.cast(people[0], g, op_id=op_id(), payload={"idea_id": other_groups_idea.id, "count": 1}, action="cast_dots")
    db.session.rollback()
    snap = rounds.close_round(g)
    db.session.commit()
    assert len(snap.data["standings"]) == 4  # two groups, top 2 each
    assert {s["extra"]["group_id"] for s in snap.data["standings"]} == {gr.id for gr in groups}
    plenary = make.round(workshop, "rank", "Plenary", open_=True, source=g)
    assert len(ballots.kind_of(plenary).options(plenary)) == 4


def test_comment_round(workshop, room, op_id):
    people, _ = room(2)
    c = rounds.add_round(workshop, kind="comment", title="Measures", settings={"items": "\n".join(FIXTURE["measures_discussed"])})
    assert len(c.settings["items"]) == 6
    rounds.open_round(c)
    db.session.commit()
    op = op_id()
    comment, replayed = comments.submit_comment(people[0], c, op_id=op, item_index=4, text="Barriers: data access")
    again, replayed2 = comments.submit_comment(people[0], c, op_id=op, item_index=4, text="Barriers: data access")
    assert not replayed and replayed2 and again.id == comment.id
    with pytest.raises(DomainError) as exc:
        comments.submit_comment(people[0], c, op_id=op_id(), item_index=6, text="x")
    assert exc.value.code == "unknown_item"
    with pytest.raises(DomainError) as exc:
        comments.submit_comment(people[0], c, op_id=op_id(), item_index=0, text="y" * 1001)
    assert exc.value.code == "text_too_long"
    comments.set_flags(comment, starred=True)
    assert comments.comment_payload(comment, workshop)["starred"] is True
    with pytest.raises(DomainError):
        rounds.add_round(workshop, kind="comment", title="Empty", settings={"items": ""})


def test_worksheets_detect_concurrent_edits(workshop, room, op_id):
    people, b = room(4)
    roster.assign_groups(workshop, 2, rng=random.Random(3))
    for n in range(4):
        ideas.submit_idea(people[n], b, op_id=op_id(), title=f"Idea {n}")
    ws = rounds.add_round(workshop, kind="worksheet", title="Work out", settings={"source_round_id": b.id, "top_k": 3})
    assert [f["label"] for f in ws.settings["fields"]] == ["Utfordring", "Idé", "Første steg – hvem bidrar med hva?"]
    rounds.open_round(ws)
    sheets = worksheets.ensure_worksheets(ws)
    db.session.commit()
    assert len(sheets) == 3 and {s.group_id for s in sheets} == {g.id for g in workshop.groups}
    sheet = sheets[0]
    member = next(p for p in people if p.group_id == sheet.group_id)
    outsider = next(p for p in people if p.group_id != sheet.group_id)
    worksheets.edit_field(sheet, "challenge", "Slow access to data", 0, editor="A", participant=member)
    with pytest.raises(Conflict) as exc:  # a second writer who started from version 0
        worksheets.edit_field(sheet, "challenge", "Fragmented services", 0, editor="B", participant=member)
    assert exc.value.code == "edit_conflict"
    assert exc.value.details["current"] == {"text": "Slow access to data", "version": 1, "updated_by": "A"}
    merged = worksheets.edit_field(sheet, "challenge", "Slow access to data; fragmented services", 1, editor="B", participant=member)
    assert merged.version == 2
    with pytest.raises(Forbidden):
        worksheets.edit_field(sheet, "idea", "Not mine", 0, editor="C", participant=outsider)
    with pytest.raises(DomainError):
        worksheets.edit_field(sheet, "nope", "x", 0, editor="A")
    payload = worksheets.sheets_payload(ws)[0]
    assert payload["fields"][0] == {"key": "challenge", "label": "Utfordring", "text": "Slow access to data; fragmented services", "version": 2, "updated_by": "B"}


def test_survey_one_response_each_and_summary(workshop, room, op_id):
    people, _ = room(3)
    s = surveys.create_survey(workshop, title="Evaluering", anonymous=True)
    q1 = surveys.add_question(s, kind="scale", text="How useful was the day?", scale_min=1, scale_max=5, required=True)
    q2 = surveys.add_question(s, kind="multi", text="What next?", choices="Follow-up forum\nConcrete follow-up\nNothing")
    q3 = surveys.add_question(s, kind="text", text="Anything else?")
    with pytest.raises(Conflict):
        surveys.submit_response(people[0], s, {str(q1.id): 4}, op_id=op_id())
    s.open()
    db.session.commit()
    with pytest.raises(DomainError) as exc:
        surveys.submit_response(people[0], s, {str(q2.id): ["Nothing"]}, op_id=op_id())
    assert exc.value.code == "answer_required"
    with pytest.raises(DomainError):
        surveys.submit_response(people[0], s, {str(q1.id): 9}, op_id=op_id())
    op = op_id()
    surveys.submit_response(people[0], s, {str(q1.id): 5, str(q2.id): ["Follow-up forum", "Concrete follow-up"], str(q3.id): "Thanks"}, op_id=op)
    _, replayed = surveys.submit_response(people[0], s, {str(q1.id): 5}, op_id=op)
    assert replayed
    with pytest.raises(Conflict) as exc:
        surveys.submit_response(people[0], s, {str(q1.id): 1}, op_id=op_id())
    assert exc.value.code == "already_responded"
    surveys.submit_response(people[1], s, {str(q1.id): 3, str(q2.id): "Follow-up forum"}, op_id=op_id())
    db.session.commit()
    assert all(r.participant_id is None for r in db.session.query(SurveyResponse))
    # An anonymous survey shows only its count of respondents until it closes.
    sealed = surveys.summary(s)
    assert sealed["sealed"] and sealed["respondents"] == 2 and "counts" not in sealed["questions"][0]
    with pytest.raises(Conflict):
        surveys.add_question(s, kind="text", text="Too late")
    surveys.close_survey(s)
    summary = surveys.summary(s)
    assert summary["respondents"] == 2 and not summary["sealed"]
    assert summary["questions"][0]["counts"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1} and summary["questions"][0]["mean"] == 4
    assert summary["questions"][1]["counts"] == {"Follow-up forum": 2, "Concrete follow-up": 1, "Nothing": 0}
    assert summary["questions"][2]["answers"] == ["Thanks"]
    with pytest.raises(Conflict):
        surveys.submit_response(people[2], s, {str(q1.id): 3}, op_id=op_id())


def test_presence_and_submitted_counts(workshop, room, op_id):
    people, b = room(3)
    ideas.submit_idea(people[0], b, op_id=op_id(), title="One")
    ideas.submit_idea(people[0], b, op_id=op_id(), title="Two")
    ideas.submit_idea(people[1], b, op_id=op_id(), title="Three")
    assert state.snapshot(workshop, state.FACILITATOR)["submitted"] == 2
