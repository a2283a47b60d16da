"""The attribution rule (``app.services.attribution``): where an idea, a comment or a quote is
shown as coming from, and the same label in every payload and file that shows it."""
from __future__ import annotations

import json

import pytest

from app import transaction
from app.errors import DomainError
from app.exports.document import build, plain_text
from app.services import attribution, comments, reporting, roster, state, workshops
from app.services.backup import dump, restore


def _join(make, w, organisation, n, *, sector="industry", name="P"):
    return [make.participant(w, f"{name}{organisation}{i}", organisation=organisation, sector=sector) for i in range(n)]


def _label(w, person, group_id=None):
    return attribution.for_workshop(w).label(person, group_id)


# --- the rule ---------------------------------------------------------------------------------
def test_an_organisation_of_two_is_not_named_one_of_three_is(make):
    w = make.workshop(show_names=False)
    two = _join(make, w, "Fjordkraft", 2, sector="research")
    three = _join(make, w, "DNV GL", 3)
    origin = attribution.for_workshop(w)
    assert origin.k == 3
    assert origin.label(three[0]) == "DNV GL"
    # Two from Fjordkraft: their sector (2 people) is too small as well, and there is no group.
    assert origin.label(two[0]) is None
    assert origin.shown_organisation("Fjordkraft") is None and origin.organisation_count("Fjordkraft") == 2


def test_case_and_space_variants_are_one_organisation(make):
    w = make.workshop(show_names=False)
    people = [make.participant(w, f"P{i}", organisation=org, sector="industry")
              for i, org in enumerate(["DNV GL", "dnv gl ", "  DNV   GL", "Dnv Gl"])]
    origin = attribution.for_workshop(w)
    assert origin.organisation_count("DNV GL") == 4
    # Shown as most people typed it, whichever spelling the author used.
    assert {origin.label(p) for p in people} == {"DNV GL"}
    assert attribution.organisation_key("  DNV \t GL ") == attribution.organisation_key("dnv gl")


def test_names_only_where_the_workshop_shows_them(make):
    shown = make.workshop("Names", show_names=True)
    big = _join(make, shown, "NTNU", 3, name="Kari")
    small = make.participant(shown, "Ola", organisation="Tiny AS", sector="research")
    assert _label(shown, big[0]) == "KariNTNU0 · NTNU"
    assert _label(shown, small) == "Ola"  # the name, but not the one-person organisation
    hidden = make.workshop("Hidden", show_names=False)
    big = _join(make, hidden, "NTNU", 3, name="Kari")
    small = make.participant(hidden, "Ola", organisation="Tiny AS", sector="research")
    assert _label(hidden, big[0]) == "NTNU"
    assert _label(hidden, small) is None


def test_the_group_then_a_large_sector_then_nothing(make):
    w = make.workshop(show_names=False, language="en")
    industry = _join(make, w, "Solo", 1) + _join(make, w, "Other", 1) + _join(make, w, "Third", 1)
    loner = make.participant(w, "X", organisation="Alone", sector="patient_org")
    nobody = make.participant(w, "Y")  # no organisation, no sector, no group
    origin = attribution.for_workshop(w)
    # No group: a sector of three is shown, a sector of one is not.
    assert origin.label(industry[0]) == "Industry"
    assert origin.label(loner) is None
    assert origin.label(nobody) is None
    assert origin.label(None) is None
    group = transaction.run(lambda: roster.add_group(w, "Table 4"))
    transaction.run(lambda: roster.move(loner, group))
    origin = attribution.for_workshop(w)
    assert origin.label(loner) == "Table 4"  # the author's group
    assert origin.label(None, group.id) == "Table 4"  # registered for the group, no author
    assert origin.label(industry[0], group.id) == "Table 4"  # the idea's own group


def test_the_threshold_is_the_workshops(make):
    w = make.workshop(show_names=False, attribution_min=1)
    solo = make.participant(w, "P", organisation="Solo AS")
    assert _label(w, solo) == "Solo AS"
    transaction.run(lambda: workshops.update_workshop(w, attribution_min=5))
    assert _label(w, solo) is None


@pytest.mark.parametrize("value", [0, 51, -3, "3", None, True, 2.5])
def test_a_bad_threshold_is_refused(make, value):
    w = make.workshop()
    with pytest.raises(DomainError) as exc:
        workshops.update_workshop(w, attribution_min=value)
    assert exc.value.code == "bad_attribution_min" and "from 1 to 50" in exc.value.message
    assert w.attribution_min == 3
    with pytest.raises(DomainError):
        workshops.create_workshop(None, title="W", attribution_min=value)


# --- every payload and file uses it -------------------------------------------------------------
@pytest.fixture
def small_org_day(make):
    """A workshop hiding names: DNV GL sent three people, Solo AS one; one group holds two of them."""
    w = make.workshop("Day", show_names=False, language="en")
    dnv = _join(make, w, "DNV GL", 3)
    solo = make.participant(w, "Zed", organisation="Solo AS", sector="patient_org")
    group = transaction.run(lambda: roster.add_group(w, "Table 1"))
    transaction.run(lambda: roster.move(solo, group))
    brainstorm = make.round(w, "brainstorm", open_=True)
    ideas = make.ideas(brainstorm, [dnv[0], solo], ["From the big one", "From the small one"])
    measures = make.round(w, "comment", open_=True, items="Measure 1")
    said = transaction.run(lambda: comments.submit_comment(solo, measures, op_id=make.op_id(), item_index=0,
                                                          text="Quote me")[0])
    transaction.run(lambda: comments.set_flags(said, starred=True))
    return w, ideas, said


def test_idea_and_comment_payloads_carry_the_label_not_the_organisation(make, small_org_day):
    w, ideas, said = small_org_day
    big, small = (state.idea_payload(i, w) for i in ideas)
    assert big["attribution"] == "DNV GL" and small["attribution"] == "Table 1"
    assert "organisation" not in big
    payload = comments.comment_payload(said, w)
    assert payload["attribution"] == "Table 1" and "organisation" not in payload
    # The projector gets nothing of it; the console only in its roster of the groups (the
    # facilitator's own list of who is where), never beside an idea or a comment.
    assert "Solo AS" not in json.dumps(state.snapshot(w, state.DISPLAY), ensure_ascii=False)
    console = state.snapshot(w, state.FACILITATOR)
    assert "Solo AS" not in json.dumps({k: v for k, v in console.items() if k != "groups"}, ensure_ascii=False)


def test_report_names_only_large_organisations(make, small_org_day):
    w, _, _ = small_org_day
    report = reporting.workshop_report(w, parts=("ballots",))
    assert [o["name"] for o in report["organisations"]] == ["DNV GL", "1 other organisation"]
    assert report["organisations"][1] == {"name": "1 other organisation", "sector": "patient_org",
                                          "sector_label": "Patient organisations", "count": 1, "other": 1}
    assert report["workshop"]["organisations"] == 2 and report["workshop"]["attribution_min"] == 3
    assert {i["attribution"] for i in report["ideas"]} == {"DNV GL", "Table 1"}
    everything = json.dumps(report, ensure_ascii=False)
    assert "Solo AS" not in everything
    assert "Solo AS" not in plain_text(build(report))


def test_the_threshold_and_demo_flag_survive_a_backup(make):
    w = make.workshop("Backed up")
    transaction.run(lambda: workshops.update_workshop(w, attribution_min=7))
    w.is_demo = True
    doc = json.loads(json.dumps(dump(w)))
    assert doc["workshop"]["attribution_min"] == 7 and doc["workshop"]["is_demo"] is True
    copy = transaction.run(lambda: restore(doc, None))
    assert copy.attribution_min == 7 and copy.is_demo is True
    assert dump(copy)["workshop"] == {**doc["workshop"], "code": copy.code}
    # A backup from before these settings gets the defaults; a bad value is refused by name.
    del doc["workshop"]["attribution_min"], doc["workshop"]["is_demo"]
    old = transaction.run(lambda: restore(doc, None))
    assert old.attribution_min == 3 and old.is_demo is False
    for bad in (0, 51, "3", True):
        doc["workshop"]["attribution_min"] = bad
        with pytest.raises(DomainError) as exc:
            restore(doc, None)
        assert "workshop.attribution_min" in exc.value.message
    doc["workshop"]["attribution_min"], doc["workshop"]["is_demo"] = 3, "yes"
    with pytest.raises(DomainError) as exc:
        restore(doc, None)
    assert "workshop.is_demo" in exc.value.message


# --- honest participation -------------------------------------------------------------------------
def test_ideas_typed_on_one_phone_per_group_are_counted_by_group(make):
    w = make.workshop("Tables", language="en")
    make.participants(w, 9)  # the tables' members
    transaction.run(lambda: roster.assign_groups(w, 3))
    brainstorm = make.round(w, "brainstorm", open_=True)
    typists = [g.members[0] for g in w.groups[:2]]  # two of the three tables sent ideas, each from one phone
    make.ideas(brainstorm, typists, ["A", "B", "C", "D"])
    rnd = reporting.round_report(brainstorm)
    assert {k: rnd["participation"][k] for k in ("took_part", "groups", "groups_with_ideas", "phones")} == {
        "took_part": 2, "groups": 3, "groups_with_ideas": 2, "phones": 2}
    text = plain_text(build(reporting.workshop_report(w)))
    assert "Ideas were registered from 2 of 3 groups, on 2 phones." in text
    assert "participants sent ideas" not in text
    # Everyone typing their own ideas: the share of participants is the honest number.
    individual = make.workshop("Individual", language="en")
    everyone = make.participants(individual, 4)
    own = make.round(individual, "brainstorm", open_=True)
    make.ideas(own, everyone[:3], ["X", "Y", "Z"])
    assert "3 of 4 participants sent ideas (75%)." in plain_text(build(reporting.workshop_report(individual)))
