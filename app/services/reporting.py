"""The workshop as plain data, built once, for every export writer."""
from __future__ import annotations

from typing import Any

from app.models import Round, RoundState, Workshop
from app.rounds import kind_of
from app.sectors import sector_label
from app.services.state import idea_payload
from app.voting import method_card


def round_report(round_: Round) -> dict[str, Any]:
    """One round as plain data: its stored result (voting rounds) or its ideas (brainstorms)."""
    workshop = round_.workshop
    kind = kind_of(round_)
    data: dict[str, Any] = {
        "id": round_.id,
        "title": round_.title,
        "kind": round_.kind,
        "kind_label": kind.label,
        "state": round_.state.value,
        "settings": dict(round_.settings or {}),
        "opened_at": round_.opened_at.isoformat() if round_.opened_at else None,
        "closed_at": round_.closed_at.isoformat() if round_.closed_at else None,
        "result": None,
    }
    if kind.collects_ideas:
        data["ideas"] = [idea_payload(i, workshop) for i in round_.ideas if i.active]
    snapshot = round_.latest_result
    if kind.votes and snapshot is not None:
        stored = snapshot.data
        titles = stored.get("titles", {})
        data["result"] = {
            "method": stored["method"],
            "params": stored.get("params", {}),
            "ballots": stored["ballots"],
            "tie_break": stored.get("tie_break"),
            "method_card": method_card(stored["method"], stored.get("params", {}), workshop.language),
            "computed_at": snapshot.created_at.isoformat(),
            "snapshots": len(round_.results),
            "standings": [
                {
                    "rank": s["rank"],
                    "tied": s["tied"],
                    "idea_id": s["option"],
                    "title": titles.get(str(s["option"]), ""),
                    "score": s["score"],
                }
                for s in stored["standings"]
            ],
        }
    return data


def workshop_report(workshop: Workshop) -> dict[str, Any]:
    """The whole workshop as plain data: details, participants by organisation, every round."""
    return {
        "workshop": {
            "title": workshop.title,
            "code": workshop.code,
            "date": workshop.date.isoformat() if workshop.date else None,
            "language": workshop.language,
            "description": workshop.description,
            "show_names": workshop.show_names,
        },
        "participants": [
            {
                "name": p.name if workshop.show_names else None,
                "organisation": p.organisation,
                "sector": p.sector,
                "sector_label": sector_label(p.sector, workshop.language),
            }
            for p in workshop.participants
        ],
        "rounds": [round_report(r) for r in workshop.rounds if r.state is not RoundState.DRAFT],
    }
