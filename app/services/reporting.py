"""The workshop as plain data, built once, for every export writer.

``workshop_report`` walks the workshop one time and returns dicts, lists, strings and numbers
only, so the writers in ``app.exports`` never touch the database. What a participant may not be
identified by is left out here, not in the writers: names only where the workshop shows names,
organisations only where ``app.services.attribution`` allows them (an idea, a comment or a
quote carries an ``attribution`` label, never its author's organisation), ballots only with a
per-round voter number (see ``anonymised_ballots``).

The texts it holds (method cards, sector and kind names) are written in the workshop's language,
the language of every file made from it, whoever asks for the file.
"""
from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from typing import Any, Iterable

from flask_babel import gettext, ngettext
from sqlalchemy import select

from app import i18n
from app.extensions import db
from app.models import Ballot, Round, RoundState, SecretBallot, SurveyResponse, Workshop
from app.payloads import StoredResult
from app.rounds import KINDS, RANK_METHODS, kind_of
from app.rounds.base import comparison_places
from app.sectors import SECTORS, sector_label
from app.services import agenda, attribution, comments, report_outline, robustness, state, surveys

#: Optional parts of the report, asked for by the writers that read them (``app.exports.PARTS``).
OPTIONAL_PARTS = ("ballots", "backup")


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _idea_numbers(workshop: Workshop) -> dict[int, int]:
    """Idea id -> its number in the workshop (1, 2, ... in the order ideas came in)."""
    ids = sorted(i.id for r in workshop.rounds for i in r.ideas)
    return {idea_id: n for n, idea_id in enumerate(ids, start=1)}


def _participation(round_: Round, participants: int) -> dict[str, Any]:
    """How many took part in a round, of how many in the workshop."""
    took_part = state.submitted_count(round_)
    return {
        "took_part": took_part,
        "participants": participants,
        "rate": round(took_part / participants, 4) if participants else None,
    }


def _origins(sent: list[tuple[int | None, int | None]], groups: int, key: str) -> dict[str, Any]:
    """Where a round's ideas or comments came from, counted so the files can say it honestly.

    ``sent`` holds one (participant id, group id) per idea or comment. When ideas are typed
    on one phone per group, "3 of 40 participants sent ideas" would be false; these counts
    let the report say "ideas registered from 8 of 9 groups" instead: ``groups`` (the
    workshop's), ``key`` (``groups_with_ideas`` or ``groups_with_comments``: the groups that
    sent any), ``phones`` (different participants who sent any) and ``without_author`` (sent
    for a group with no participant attached, such as ideas typed in by the facilitator).
    """
    return {
        "groups": groups,
        key: len({g for _, g in sent if g is not None}),
        "phones": len({p for p, _ in sent if p is not None}),
        "without_author": sum(1 for p, _ in sent if p is None),
    }


def _result(round_: Round, lang: str, numbers: dict[int, int]) -> dict[str, Any] | None:
    """The round's latest stored result snapshot, with idea titles and its method card."""
    snapshot = round_.latest_result
    if snapshot is None:
        return None
    stored: StoredResult = snapshot.data
    titles = stored.get("titles", {})
    params = dict(stored.get("params") or {})
    card_params = {**params, "tie_break": stored.get("tie_break")} if stored.get("tie_break") else dict(params)
    card_params["anonymous"] = bool(stored.get("anonymous"))
    try:
        card = state.card(stored["method"], card_params, lang)
    except ValueError:
        card = ""
    title_of = lambda option: titles.get(str(option), "")  # noqa: E731
    breakdown = stored.get("breakdown") or {}
    sectors = []
    for key, cell in ((breakdown.get("by_sector") or {}).get("sectors") or {}).items():
        entry = {"sector": key, "label": sector_label(key, lang) or key, "suppressed": bool(cell.get("suppressed"))}
        if cell.get("suppressed"):
            entry["voters"] = cell.get("voters", 0)
        else:
            entry["voters"] = cell.get("ballots", 0)
            # Every idea sharing the sector's first place (shown as "A = B").
            entry["top"] = [title_of(s["option"]) for s in cell.get("standings", []) if s.get("rank") == 1]
        sectors.append(entry)
    sectors.sort(key=lambda s: list(SECTORS).index(s["sector"]) if s["sector"] in SECTORS else 99)
    consensus = breakdown.get("consensus") or {}
    tie_break = stored.get("tie_break")
    return {
        "method": stored["method"],
        "method_name": str(RANK_METHODS[stored["method"]]) if stored["method"] in RANK_METHODS else None,
        "params": params,
        "ballots": stored["ballots"],
        "anonymous": bool(stored.get("anonymous")),
        "tie_break": tie_break,
        "tie_break_rule": tie_break.get("rule") if isinstance(tie_break, dict) else None,
        "tie_break_order": [title_of(o) for o in tie_break.get("order", [])] if isinstance(tie_break, dict) else [],
        "method_card": card,
        "computed_at": _iso(snapshot.created_at),
        "snapshots": len(round_.results),
        "standings": [
            {
                "rank": s["rank"],
                "tied": s["tied"],
                "idea_id": s["option"],
                "idea_no": numbers.get(s["option"]),
                "title": title_of(s["option"]),
                "score": s["score"],
                "extra": dict(s.get("extra") or {}),
                "consensus": (consensus.get(str(s["option"])) or {}).get("consensus"),
            }
            for s in stored["standings"]
        ],
        "by_sector": sectors,
        "min_cell": (breakdown.get("by_sector") or {}).get("min_cell"),
        # The other methods' orders, each idea with its place: a shared place stays shared (6=, 6=).
        "comparison": {
            method: [{"rank": p["rank"], "tied": p["tied"], "title": title_of(p["option"]), "idea_id": p["option"]}
                     for p in comparison_places(order)]
            for method, order in (stored.get("comparison") or {}).items()
        },
        "per_group": bool((stored.get("settings") or {}).get("per_group")),
    }


def round_report(round_: Round, *, participants: int | None = None, numbers: dict[int, int] | None = None,
                 origin: attribution.Attribution | None = None) -> dict[str, Any]:
    """One round as plain data: its stored result, its ideas, and what its kind adds (``report_section``),
    its texts in the workshop's language."""
    with i18n.in_language(round_.workshop.language):
        return _round_report(round_, participants, numbers, origin)


def _round_report(round_: Round, participants: int | None, numbers: dict[int, int] | None,
                  origin: attribution.Attribution | None) -> dict[str, Any]:
    workshop = round_.workshop
    lang = workshop.language
    kind = kind_of(round_)
    numbers = numbers if numbers is not None else _idea_numbers(workshop)
    if participants is None:
        participants = len(workshop.participants)
    groups = {g.id: g.name for g in workshop.groups}
    origin = origin if origin is not None else attribution.for_workshop(workshop)
    data: dict[str, Any] = {
        "id": round_.id,
        "position": round_.position,
        "title": round_.title,
        "kind": round_.kind,
        "kind_label": str(kind.label),
        "votes": kind.votes,
        "state": round_.state.value,
        "settings": dict(round_.settings or {}),
        "opened_at": _iso(round_.opened_at),
        "closed_at": _iso(round_.closed_at),
        "participation": _participation(round_, participants),
        "result": None,
    }
    if kind.collects_ideas:
        data["ideas"] = [
            {**state.idea_payload(i, workshop, origin), "idea_no": numbers.get(i.id), "group": groups.get(i.group_id)}
            for i in round_.ideas if i.active
        ]
        data["participation"].update(_origins([(i.participant_id, i.group_id) for i in round_.ideas], len(groups),
                                              "groups_with_ideas"))
    if kind.collects_comments:
        sent = [(c.participant_id, c.group_id) for c in comments.comments_of(round_, include_hidden=True)]
        data["participation"].update(_origins(sent, len(groups), "groups_with_comments"))
    if kind.votes:
        data["result"] = _result(round_, lang, numbers)
    source_of = getattr(kind, "source", None)
    if source_of is not None:
        source = source_of(round_)
        data["source_title"] = source.title if source is not None else None
    data.update(kind.report_section(round_))
    return data


def _final(rounds: list[dict[str, Any]], round_id: int | None = None) -> dict[str, Any] | None:
    """The workshop's final ranked list: round ``round_id``'s (the report's options, see
    ``report_outline.resolved_options``), else the last voting round with a stored, whole-room result."""
    eligible = [rnd for rnd in rounds if (rnd.get("result") or {}).get("standings") and not rnd["result"]["per_group"]
                and rnd.get("final_list", True)]
    rnd = next((r for r in eligible if r["id"] == round_id), eligible[-1] if eligible else None)
    if rnd is None:
        return None
    result = rnd["result"]
    return {"round_id": rnd["id"], "round_title": rnd["title"], "standings": result["standings"],
            "method": result["method"], "ballots": result["ballots"]}


def _options(workshop: Workshop, final: dict[str, Any] | None, resolved: dict[str, Any]) -> dict[str, Any]:
    """The report's options as the writers read them: the final list's round and how many of its
    ideas the executive page recommends (at least 1, at most the ideas it ranks)."""
    if final is None:
        return {"final_round": None, "recommended": resolved["recommended"], "chosen": False}
    wanted = (workshop.report_options or {}).get("recommended") or report_outline.DEFAULT_RECOMMENDED
    return {"final_round": final["round_id"], "recommended": max(1, min(wanted, len(final["standings"]))),
            "chosen": resolved["chosen"]}


def _check_robustness(workshop: Workshop, report: dict[str, Any]) -> None:
    """The final list's robustness (``robustness.check``) for the top N the executive page
    recommends, put into the final round's result as ``robustness``."""
    final = report["final"]
    if final is None:
        return
    rnd = next(r for r in report["rounds"] if r["id"] == final["round_id"])
    round_ = next(r for r in workshop.rounds if r.id == final["round_id"])
    rnd["result"]["robustness"] = robustness.check(round_, rnd["result"], robustness.top_n(report["options"]))


def _participants(workshop: Workshop, origin: attribution.Attribution) -> tuple[
        list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], int]:
    """The participants, organisations and sectors for the appendix and the workbook.

    A participant's organisation is given only where ``origin`` shows it (at least k
    participants gave it); the organisations list names those and counts the smaller ones
    per sector ("12 other organisations"), so no one-person organisation is named beside
    its sector. Returns the people, that list, the sectors with their counts, and how many
    different organisations there were in all.
    """
    lang = workshop.language
    groups = {g.id: g.name for g in workshop.groups}
    people = [
        {
            "name": p.name if workshop.show_names else None,
            "organisation": origin.shown_organisation(p.organisation),
            "sector": p.sector,
            "sector_label": sector_label(p.sector, lang),
            "group": groups.get(p.group_id),
        }
        for p in workshop.participants
    ]
    orgs: dict[str, dict[str, Any]] = {}
    for p in workshop.participants:
        key = attribution.organisation_key(p.organisation)
        if key:
            entry = orgs.setdefault(key, {"name": origin.spellings.get(key, p.organisation.strip()), "sector": p.sector,
                                          "sector_label": sector_label(p.sector, lang), "count": 0})
            entry["count"] += 1
    named = sorted((o for o in orgs.values() if o["count"] >= origin.k), key=lambda o: o["name"].casefold())
    small: dict[str, dict[str, Any]] = {}
    for o in orgs.values():
        if o["count"] < origin.k:
            entry = small.setdefault(o["sector"] or "", {"sector": o["sector"], "sector_label": o["sector_label"],
                                                          "count": 0, "other": 0})
            entry["count"] += o["count"]
            entry["other"] += 1
    order = list(SECTORS)
    folded = sorted(small.values(), key=lambda o: order.index(o["sector"]) if o["sector"] in order else len(order))
    for o in folded:
        o["name"] = ngettext("%(num)d other organisation", "%(num)d other organisations", o["other"])
    counts = Counter(p["sector"] or "other" for p in people)
    sectors = [
        {"sector": key, "label": sector_label(key, lang), "count": counts[key]} for key in SECTORS if counts.get(key)
    ]
    return people, named + folded, sectors, len(orgs)


def demo_notice(workshop: Workshop) -> str | None:
    """The sentence every file of a demo workshop carries (in the language being spoken), else None."""
    if not workshop.is_demo:
        return None
    return gettext("Demo data: generated for trying Tavle, not from a real workshop; its figures are generated.")


def workshop_report(workshop: Workshop, *, parts: Iterable[str] = ()) -> dict[str, Any]:
    """The whole workshop as plain data, for every writer.

    Besides the workshop's rounds, ideas, people and surveys it holds the report's ``outline``
    (its sections in order, as ``report_outline.report_payload`` gives them) and ``options``
    (``final_round``: the round whose result is ``final``; ``recommended``: how many of its
    ideas the executive page recommends; ``chosen``: whether the facilitator chose the round).

    ``parts`` adds what only some writers need: ``"ballots"`` (anonymised ballots, for the
    workbook) and ``"backup"`` (the full backup document of ``app.services.backup``).
    """
    with i18n.in_language(workshop.language):
        return _workshop_report(workshop, set(parts))


def _workshop_report(workshop: Workshop, parts: set[str]) -> dict[str, Any]:
    lang = workshop.language
    numbers = _idea_numbers(workshop)
    origin = attribution.for_workshop(workshop)
    people, organisations, sectors, organisation_count = _participants(workshop, origin)
    rounds = [
        round_report(r, participants=len(people), numbers=numbers, origin=origin)
        for r in workshop.rounds if r.state is not RoundState.DRAFT
    ]
    round_titles = {r.id: r.title for r in workshop.rounds}
    resolved = report_outline.resolved_options(workshop)
    final = _final(rounds, resolved["final_round"])
    all_ideas = sorted((i for r in workshop.rounds for i in r.ideas), key=lambda i: i.id)
    report: dict[str, Any] = {
        "workshop": {
            "title": workshop.title,
            "code": workshop.code,
            "date": workshop.date.isoformat() if workshop.date else None,
            "language": lang,
            "description": workshop.description,
            "show_names": workshop.show_names,
            "organisers": [str(o) for o in (workshop.organisers or [])],
            "participants": len(people),
            "organisations": organisation_count,
            "attribution_min": origin.k,
            "is_demo": bool(workshop.is_demo),
            "demo_notice": demo_notice(workshop),
        },
        "agenda": [
            {**item, "round_title": round_titles.get(item["round_id"])}
            for item in agenda.payload(workshop)["items"]
        ],
        "participants": people,
        "organisations": organisations,
        "sectors": sectors,
        "groups": [
            {
                "name": g.name,
                "table": g.table_label,
                "members": [
                    {"name": p.name if workshop.show_names else None,
                     "organisation": origin.shown_organisation(p.organisation),
                     "sector_label": sector_label(p.sector, lang)}
                    for p in g.members
                ],
            }
            for g in workshop.groups
        ],
        "ideas": [
            {
                "idea_no": numbers[i.id],
                "round_title": round_titles.get(i.round_id),
                "title": i.title,
                "details": i.details,
                "theme": i.theme,
                "group": next((g.name for g in workshop.groups if g.id == i.group_id), None),
                "attribution": origin.label(i.author, i.group_id),
                "author": i.author.name if (i.author and workshop.show_names) else None,
                "hidden": i.hidden,
                "merged_into": numbers.get(i.merged_into_id) if i.merged_into_id else None,
            }
            for i in all_ideas
        ],
        "rounds": rounds,
        # What each kind of round is called in the files (the writers cannot ask the kinds).
        "kind_names": {name: str(kind.report_name) for name, kind in KINDS.items() if kind.report_name},
        "final": final,
        "surveys": [surveys.summary(s) for s in surveys.surveys_of(workshop)],
        # The report's sections in order, as the organisers wrote and arranged them, and its options.
        "outline": report_outline.report_payload(workshop),
        "options": _options(workshop, final, resolved),
    }
    _check_robustness(workshop, report)
    if "ballots" in parts:
        report["ballots"] = anonymised_ballots(workshop, numbers)
        report["survey_responses"] = survey_responses(workshop)
    if "backup" in parts:
        from app.services import backup

        report["backup"] = backup.dump(workshop)
    return report


def _text(message: Any) -> str | None:
    """A kind's lazy message as text now (None stays None)."""
    return None if message is None else str(message)


# --- anonymised ballots ---------------------------------------------------------------------
def _voter_secret() -> bytes:
    from flask import current_app

    return str(current_app.config.get("SECRET_KEY") or "tavle").encode("utf-8")


def voter_numbers(round_: Round, participant_ids: Iterable[int], secret: bytes | None = None) -> dict[int, int]:
    """Participant id -> voter number in ``round_``: 1..n in an order that looks random.

    The order is that of a keyed hash of round and participant, so it is the same in every
    export from this server, differs between rounds (voter 3 of one round is not voter 3 of
    the next), and cannot be traced back to a participant without the server's secret key.
    """
    key = secret if secret is not None else _voter_secret()
    digest = lambda pid: hmac.new(key, f"{round_.id}:{pid}".encode(), hashlib.sha256).hexdigest()  # noqa: E731
    ordered = sorted(set(participant_ids), key=digest)
    return {pid: n for n, pid in enumerate(ordered, start=1)}


def _ballot_rows(round_: Round, content: Any, titles: dict[int, str], numbers: dict[int, int]) -> list[dict[str, Any]]:
    """One stored ballot as rows of (idea, value) a spreadsheet can sort and filter (the kind's ``sheet_rows``)."""
    def idea(raw: Any) -> tuple[int | None, str]:
        try:
            iid = int(raw)
        except (TypeError, ValueError):
            return None, str(raw)
        return numbers.get(iid), titles.get(iid, "")

    return kind_of(round_).sheet_rows(content, idea)


def anonymised_ballots(workshop: Workshop, numbers: dict[int, int] | None = None) -> list[dict[str, Any]]:
    """Every voting round's ballots without participants.

    A named round's ballots carry a voter number instead of the participant (see
    ``voter_numbers``); an anonymous round's secret ballots are listed as stored, numbered in
    their stored (random) order. Sectors are left out: in a small sector they would name people.
    While an anonymous round is open its ballots are not listed (``sealed``): two downloads a
    vote apart would otherwise show that vote.
    """
    numbers = numbers if numbers is not None else _idea_numbers(workshop)
    titles = {i.id: i.title for r in workshop.rounds for i in r.ideas}
    out = []
    for round_ in workshop.rounds:
        if not kind_of(round_).votes or round_.state is RoundState.DRAFT:
            continue
        anonymous = bool((round_.settings or {}).get("anonymous"))
        if state.sealed(round_):
            voters = []
        elif anonymous:
            contents = list(db.session.scalars(
                select(SecretBallot.content).where(SecretBallot.round_id == round_.id).order_by(SecretBallot.id)
            ))
            voters = list(enumerate(contents, start=1))
        else:
            pairs = list(db.session.execute(
                select(Ballot.participant_id, Ballot.content).where(Ballot.round_id == round_.id)
            ))
            number = voter_numbers(round_, [pid for pid, _ in pairs])
            voters = sorted(((number[pid], content) for pid, content in pairs), key=lambda v: v[0])
        out.append({
            "round_id": round_.id,
            "round_title": round_.title,
            "kind": round_.kind,
            "anonymous": anonymous,
            "sealed": state.sealed(round_),
            "note_label": _text(kind_of(round_).sheet_note_label),
            "ballots": [
                {"voter": n, "rows": _ballot_rows(round_, content, titles, numbers)} for n, content in voters
            ],
        })
    return out


def survey_responses(workshop: Workshop) -> list[dict[str, Any]]:
    """Every survey's questions and its answers, one row per response, without respondents.

    An open anonymous survey lists no answers yet (see ``surveys.sealed``).
    """
    out = []
    for survey in surveys.surveys_of(workshop):
        questions = [{"id": q.id, "text": q.text, "kind": q.kind} for q in survey.questions]
        rows = [] if surveys.sealed(survey) else db.session.scalars(
            select(SurveyResponse.answers).where(SurveyResponse.survey_id == survey.id).order_by(SurveyResponse.id)
        )
        out.append({
            "title": survey.title,
            "questions": questions,
            "responses": [[answers.get(str(q["id"])) for q in questions] for answers in rows],
        })
    return out

