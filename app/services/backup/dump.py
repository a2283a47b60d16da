"""A workshop written as a backup document (see ``app.services.backup``)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import (
    AgendaItem,
    Ballot,
    Comment,
    Idea,
    IdeaMerge,
    ReportSection,
    Round,
    SecretBallot,
    Survey,
    SurveyRespondent,
    SurveyResponse,
    Voter,
    Worksheet,
    Workshop,
)
from app.rounds import KINDS
from app.services.backup.keys import FORMAT, VERSION, Ids, map_settings, map_snapshot


def _ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()


def _by_id(rows) -> list:
    return sorted(rows, key=lambda r: r.id)


def dump(workshop: Workshop) -> dict[str, Any]:
    """The whole workshop as a backup document (plain data; ``json.dumps`` takes it as is)."""
    groups = _by_id(workshop.groups)
    people = _by_id(workshop.participants)
    rounds = _by_id(workshop.rounds)
    ideas = _by_id(i for r in rounds for i in r.ideas)
    gkey = {g.id: f"g{n}" for n, g in enumerate(groups, start=1)}
    pkey = {p.id: f"p{n}" for n, p in enumerate(people, start=1)}
    rkey = {r.id: f"r{n}" for n, r in enumerate(rounds, start=1)}
    ikey = {i.id: f"i{n}" for n, i in enumerate(ideas, start=1)}
    ids = Ids({str(k): v for k, v in ikey.items()}, {str(k): v for k, v in gkey.items()},
               {str(k): v for k, v in rkey.items()}, strict=False)

    def ballots_of(model, round_id):
        return list(db.session.scalars(select(model).where(model.round_id == round_id)))

    agenda_rows = list(db.session.scalars(select(AgendaItem).where(AgendaItem.workshop_id == workshop.id)
                                          .order_by(AgendaItem.position, AgendaItem.id)))
    survey_rows = list(db.session.scalars(select(Survey).where(Survey.workshop_id == workshop.id).order_by(Survey.id)))
    skey = {s.id: f"s{n}" for n, s in enumerate(survey_rows, start=1)}
    akey = {a.id: n for n, a in enumerate(agenda_rows)}
    options = workshop.report_options or {}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "workshop": {
            "code": workshop.code,
            "title": workshop.title,
            "date": workshop.date.isoformat() if workshop.date else None,
            "language": workshop.language,
            "description": workshop.description or "",
            "show_names": bool(workshop.show_names),
            "allow_anonymous": bool(workshop.allow_anonymous),
            "join_open": bool(workshop.join_open),
            "organisers": [str(o) for o in (workshop.organisers or [])],
            "attribution_min": int(workshop.attribution_min if workshop.attribution_min is not None else 3),
            "is_demo": bool(workshop.is_demo),
            "created_at": _ts(workshop.created_at),
            # The report's options: the round giving the final priorities (by key), how many recommended.
            "report_options": {k: v for k, v in (("final_round", rkey.get(options.get("final_round"))),
                                                 ("recommended", options.get("recommended"))) if v is not None},
        },
        "groups": [{"key": gkey[g.id], "name": g.name, "table_label": g.table_label or "", "position": g.position} for g in groups],
        "participants": [
            {"key": pkey[p.id], "name": p.name, "organisation": p.organisation, "sector": p.sector, "email": p.email,
             "group": gkey.get(p.group_id), "from_roster": bool(p.from_roster), "joined_at": _ts(p.joined_at),
             "created_at": _ts(p.created_at)}
            for p in people
        ],
        "rounds": [],
        "ideas": [
            {"key": ikey[i.id], "round": rkey[i.round_id], "participant": pkey.get(i.participant_id), "title": i.title,
             "details": i.details or "", "hidden": bool(i.hidden), "group": gkey.get(i.group_id), "theme": i.theme,
             "merged_into": ikey.get(i.merged_into_id), "created_at": _ts(i.created_at), "updated_at": _ts(i.updated_at)}
            for i in ideas
        ],
        "merges": [
            {"target": ikey[m.target_id], "source": ikey[m.source_id], "created_at": _ts(m.created_at),
             "undone_at": _ts(m.undone_at)}
            for m in db.session.scalars(
                select(IdeaMerge).join(Idea, Idea.id == IdeaMerge.target_id).join(Round, Round.id == Idea.round_id)
                .where(Round.workshop_id == workshop.id).order_by(IdeaMerge.id)
            )
            if m.source_id in ikey and m.target_id in ikey
        ],
        "agenda": [
            {"position": a.position, "start": a.start or "", "duration": a.duration_min, "title": a.title, "who": a.who or "",
             "round": rkey.get(a.round_id), "now": bool(a.is_now)}
            for a in agenda_rows
        ],
        # The report's sections as stored, in order; a talk names its agenda item by its place in "agenda".
        "report_sections": [
            {"position": r.position, "kind": r.kind, "title": r.title or "", "level": r.level, "included": bool(r.included),
             "body": r.body or "", "round": rkey.get(r.round_id), "survey": skey.get(r.survey_id),
             "agenda_item": akey.get(r.agenda_item_id), "data": dict(r.data or {}), "version": r.version,
             "updated_by": r.updated_by or "", "updated_at": _ts(r.updated_at)}
            for r in db.session.scalars(select(ReportSection).where(ReportSection.workshop_id == workshop.id)
                                        .order_by(ReportSection.position, ReportSection.id))
        ],
        "surveys": [],
    }
    for r in rounds:
        where = f"round {rkey[r.id]}"
        kind = KINDS[r.kind]
        secret = sorted(
            ({"sector": b.sector, "content": kind.dump_ballot(b.content, ids, where)} for b in ballots_of(SecretBallot, r.id)),
            key=lambda b: (b["sector"] or "", json.dumps(b["content"], sort_keys=True)),
        )
        named = sorted(
            ({"participant": pkey[b.participant_id], "content": kind.dump_ballot(b.content, ids, where),
              "updated_at": _ts(b.updated_at)} for b in ballots_of(Ballot, r.id) if b.participant_id in pkey),
            key=lambda b: int(b["participant"][1:]),
        )
        voters = sorted((pkey[v.participant_id] for v in ballots_of(Voter, r.id) if v.participant_id in pkey),
                        key=lambda k: int(k[1:]))
        doc["rounds"].append({
            "key": rkey[r.id], "position": r.position, "kind": r.kind, "title": r.title, "state": r.state.value,
            "settings": map_settings(r.settings, ids, where), "results_revealed": bool(r.results_revealed),
            "opened_at": _ts(r.opened_at), "closed_at": _ts(r.closed_at), "created_at": _ts(r.created_at),
            "timer_ends_at": _ts(r.timer_ends_at), "timer_remaining": r.timer_remaining,
            "timer_auto_close": bool(r.timer_auto_close),
            "ballots": named,
            "voters": voters,
            "secret_ballots": secret,
            "results": [
                {"method": res.method, "ballots": res.ballots, "created_at": _ts(res.created_at),
                 "data": map_snapshot(res.data, ids, where)}
                for res in r.results
            ],
            "comments": [
                {"item": c.item_index, "participant": pkey.get(c.participant_id), "group": gkey.get(c.group_id),
                 "text": c.text, "starred": bool(c.starred), "hidden": bool(c.hidden), "created_at": _ts(c.created_at)}
                for c in db.session.scalars(select(Comment).where(Comment.round_id == r.id).order_by(Comment.id))
            ],
            "worksheets": [
                {"idea": ikey.get(w.idea_id), "group": gkey.get(w.group_id), "position": w.position,
                 "fields": [
                     {"key": f.key, "text": f.text or "", "version": f.version, "updated_by": f.updated_by or "",
                      "updated_at": _ts(f.updated_at)}
                     for f in _by_id(w.fields)
                 ]}
                for w in db.session.scalars(select(Worksheet).where(Worksheet.round_id == r.id).order_by(Worksheet.id))
                if w.idea_id in ikey
            ],
        })
    qn = 0
    for sn, s in enumerate(survey_rows, start=1):
        qkey = {}
        for q in sorted(s.questions, key=lambda q: q.id):
            qn += 1
            qkey[q.id] = f"q{qn}"
        responses = sorted(
            ({"participant": pkey.get(r.participant_id),
              "answers": {qkey[int(k)]: v for k, v in (r.answers or {}).items() if k.isdigit() and int(k) in qkey}}
             for r in db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == s.id))),
            key=lambda r: (r["participant"] or "", json.dumps(r["answers"], sort_keys=True, ensure_ascii=False)),
        )
        respondents = sorted(
            (pkey[x.participant_id] for x in db.session.scalars(select(SurveyRespondent).where(SurveyRespondent.survey_id == s.id))
             if x.participant_id in pkey),
            key=lambda k: int(k[1:]),
        )
        doc["surveys"].append({
            "key": f"s{sn}", "title": s.title, "intro": s.intro or "", "anonymous": bool(s.anonymous), "state": s.state.value,
            "questions": [
                {"key": qkey[q.id], "position": q.position, "kind": q.kind, "text": q.text, "choices": list(q.choices or []),
                 "scale_min": q.scale_min, "scale_max": q.scale_max, "required": bool(q.required)}
                for q in sorted(s.questions, key=lambda q: q.id)
            ],
            "respondents": respondents,
            "responses": responses,
        })
    return doc


