"""The 2019 personalised-medicine workshop as a finished demo workshop.

The fixture (``workshop-2019.json``) holds the organisations, their sectors and head counts,
the agenda and the eight ideas in their published priority order. Loading it goes through the
same services a live workshop uses: one participant per attendee, a brainstorm with the eight
ideas, a dot vote and a ranking whose results reproduce the published order.

It is demo data and says so (``Workshop.is_demo``: every file and the console and projector
mark it). It invents no authorship: the ideas and the comments belong to the groups, with no
participant as their author, and the ballots and survey answers are generated.
"""
from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, timezone
from importlib import resources
from typing import Any

from sqlalchemy import select

from app.demo import content
from app.extensions import db
from app.models import User, Workshop
from app.rounds import kind_of
from app.services import (
    agenda,
    ballots,
    comments,
    ideas,
    participants,
    report_outline,
    roster,
    rounds,
    surveys,
    worksheets,
    workshops,
)
from app.voting import borda, dot_vote

FIXTURE = "workshop-2019.json"
DOTS, CAP = 5, 3


def load_fixture() -> dict[str, Any]:
    """The 2019 workshop as data."""
    return json.loads(resources.files(__package__).joinpath(FIXTURE).read_text(encoding="utf-8"))


def _sample_order(rng: random.Random, n: int, decay: float) -> list[int]:
    """A preference order over ``n`` ideas drawn from a Plackett–Luce model favouring low indices."""
    remaining = list(range(n))
    order = []
    while remaining:
        weights = [decay**i for i in remaining]
        pick = rng.choices(remaining, weights=weights)[0]
        order.append(pick)
        remaining.remove(pick)
    return order


def _dots_from(order: list[int]) -> dict[int, int]:
    # Two dots on the favourite, two on the next, one on the third: 5 dots, at most 3 on one idea.
    return {order[0]: 2, order[1]: 2, order[2]: 1}


def demo_ballots(n_participants: int, n_ideas: int) -> tuple[list[dict[int, int]], list[list[int]]]:
    """Dot and ranking ballots (over idea indices) whose results follow the published order.

    Each attendee's preferences are drawn from a model that favours the published order; the
    first seed whose dot vote and Borda count both give the published order with no ties is
    used. The search is deterministic, so every load gives the same ballots.
    """
    indices = list(range(n_ideas))
    for seed in range(10_000):
        rng = random.Random(seed)
        orders = [_sample_order(rng, n_ideas, 0.72) for _ in range(n_participants)]
        dots = [_dots_from(o) for o in orders]
        dot_result = dot_vote(dots, indices, budget=DOTS, cap=CAP)
        rank_result = borda(orders, indices)
        if all(
            r.ranking == indices and not any(s.tied for s in r.standings) for r in (dot_result, rank_result)
        ):
            return dots, orders
    raise RuntimeError("no seed reproduces the published order")  # pragma: no cover


def _at(day: date, hhmm: str) -> datetime:
    # Oslo is UTC+1 in January.
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour - 1, minute, tzinfo=timezone.utc)


def _op() -> str:
    return uuid.uuid4().hex


def load_demo(owner: User | None = None) -> Workshop:
    """Create the 2019 workshop as a new, finished workshop and return it (not committed)."""
    data = load_fixture()
    day = date.fromisoformat(data["date"])
    if owner is None:
        owner = db.session.scalar(select(User).order_by(User.id))
    workshop = workshops.create_workshop(
        owner, title=data["title"], date_=day, language=data["language"],
        description=(
            "Workshop om næringsrettet oppfølging av Handlingsplan for forskning og innovasjon innenfor "
            "persontilpasset medisin, med " + str(sum(o["participants"] for o in data["organisations"]))
            + " deltakere fra helsetjenesten, forvaltningen, næringslivet, akademia, finansiører og "
            "pasientorganisasjoner."
        ),
        show_names=False, allow_anonymous=True,
    )
    workshop.organisers = list(data.get("organisers", []))
    workshop.is_demo = True
    people = []
    for org in data["organisations"]:
        for _ in range(org["participants"]):
            people.append(participants.join(workshop, organisation=org["name"], sector=org["sector"], anonymous=True))

    roster.assign_groups(workshop, 6, rng=random.Random(2019))
    measures = rounds.add_round(workshop, kind="comment", title="Handlingsplanens tiltak",
                                settings={"items": data["measures_discussed"]})
    rounds.open_round(measures)
    # The comments were the groups', as on the day: each is registered by one of its group's
    # members and then belongs to the group alone (no participant is made its author).
    tables = _group_members(workshop)
    for n, (index, text, starred) in enumerate(content.COMMENTS):
        comment, _ = comments.submit_comment(tables[n % len(tables)], measures, op_id=_op(), item_index=index, text=text)
        comment.starred, comment.participant_id = starred, None

    ranked = sorted(data["ranked_ideas"], key=lambda i: i["rank"])
    brainstorm = rounds.add_round(workshop, kind="brainstorm", title="Idéer som krever nye samarbeidsformer for å lykkes")
    rounds.open_round(brainstorm)
    # The ideas came from the groups, typed on one phone per table: each belongs to its group
    # and to nobody in it (the fixture does not say who proposed what).
    idea_rows = []
    for i, idea in enumerate(ranked):
        row = ideas.submit_idea(tables[i % len(tables)], brainstorm, op_id=_op(), title=idea["title"], details="").idea
        row.author = None
        idea_rows.append(row)

    dot_round = rounds.add_round(
        workshop, kind="dot_vote", title="Prioritering med prikker",
        settings={"source_round_id": brainstorm.id, "budget": DOTS, "cap": CAP},
    )
    rounds.open_round(dot_round)
    dots, orders = demo_ballots(len(people), len(idea_rows))
    for person, ballot in zip(people, dots):
        for index, count in ballot.items():
            ballots.cast(person, dot_round, op_id=_op(), payload={"idea_id": idea_rows[index].id, "count": count},
                        action=kind_of(dot_round).action)

    rank_round = rounds.add_round(
        workshop, kind="rank", title="Rangering av de åtte beste idéene",
        settings={"source_round_id": dot_round.id, "top_k": 8},
    )
    rounds.open_round(rank_round)
    for person, order in zip(people, orders):
        ballots.cast(person, rank_round, op_id=_op(), payload={"order": [idea_rows[i].id for i in order]},
                    action=kind_of(rank_round).action)
    rounds.close_round(rank_round)

    sheets_round = rounds.add_round(workshop, kind="worksheet", title="Fra idé til vellykket prosjekt",
                                    settings={"source_round_id": rank_round.id, "top_k": data.get("worked_out_top", 3)})
    rounds.open_round(sheets_round)
    for sheet, texts in zip(worksheets.ensure_worksheets(sheets_round), content.WORKSHEETS):
        for field in sheet.fields:
            # Saved as the groups' phones save them: text, or a table's rows (the first steps).
            text = texts.get(field.key, "")
            rows = text if isinstance(text, list) else None
            worksheets.edit_field(sheet, field.key, None if rows else text, field.version, editor="Gruppe", rows=rows)
    rounds.close_round(sheets_round)

    _agenda(workshop, data, {"10:00": measures.id, "10:45": rank_round.id, "12:30": sheets_round.id})
    _survey(workshop, people, data)

    _report(workshop, measures, brainstorm)

    # The day's clock.
    for round_, start, end in ((measures, "10:00", "10:45"), (brainstorm, "10:45", "11:10"), (dot_round, "11:10", "11:30"),
                               (rank_round, "11:30", "11:50"), (sheets_round, "12:30", "13:30")):
        round_.opened_at, round_.closed_at = _at(day, start), _at(day, end)
        for snapshot in round_.results:
            snapshot.created_at = round_.closed_at
            snapshot.data = {**snapshot.data, "closed_at": round_.closed_at.isoformat()}
    return workshop


def _group_members(workshop: Workshop) -> list:
    """One member of each group, in the groups' order: whose phone registers the group's ideas."""
    return [g.members[0] for g in workshop.groups if g.members]


def _agenda(workshop: Workshop, data: dict[str, Any], rounds_at: dict[str, int]) -> None:
    items = data["agenda"]
    for n, item in enumerate(items):
        duration = None
        if n + 1 < len(items):
            h1, m1 = map(int, item["start"].split(":"))
            h2, m2 = map(int, items[n + 1]["start"].split(":"))
            duration = (h2 * 60 + m2) - (h1 * 60 + m1)
        agenda.add_item(workshop, start=item["start"], duration=duration, title=item["title"], who=item.get("who", ""),
                        round_id=rounds_at.get(item["start"]))


def _report(workshop: Workshop, measures, brainstorm) -> None:
    """The report's written sections (``content.REPORT``), through the Report page's own service."""
    text = content.REPORT
    items = {i.id: i for i in agenda.items(workshop)}

    def write(section, **fields) -> None:
        report_outline.edit_section(section, base_version=section.version, editor="Tavle", **fields)

    for section in report_outline.ensure_outline(workshop):
        if section.kind in ("summary", "introduction", "conclusion"):
            write(section, body=text[section.kind])
        elif section.kind == "talk" and items[section.agenda_item_id].start in text["talks"]:
            write(section, body=text["talks"][items[section.agenda_item_id].start])
        elif section.kind == "round" and section.round_id == measures.id:
            write(section, body=text["measures"], data={"syntheses": {str(k): v for k, v in text["syntheses"].items()}})
        elif section.kind == "round" and section.round_id == brainstorm.id:
            write(section, body=text["ideas"])
        elif section.kind == "next_steps":
            write(section, body=text["next_steps"], data={"rows": text["next_steps_rows"]})


def _survey(workshop: Workshop, people: list, data: dict[str, Any]) -> None:
    """The follow-up survey, answered by as many as answered in 2019."""
    spec = content.SURVEY
    survey = surveys.create_survey(workshop, title=spec["title"], intro=spec["intro"], anonymous=True)
    questions = [surveys.add_question(survey, **q) for q in spec["questions"]]
    survey.open()
    rng = random.Random(20)
    wishes = questions[1].choices
    for person in people[: data["survey"]["respondents"]]:
        answers = {str(questions[0].id): rng.choice([3, 4, 4, 5, 5])}
        picked = [w for w in wishes[:2] if rng.random() < 0.7] or [wishes[1]]
        answers[str(questions[1].id)] = picked
        surveys.submit_response(person, survey, answers, op_id=_op())
    surveys.close_survey(survey)


def existing_demo() -> Workshop | None:
    """A workshop already loaded from the fixture, if any."""
    title = load_fixture()["title"]
    return db.session.scalar(select(Workshop).where(Workshop.title == title).order_by(Workshop.id))
