"""The report's outline: the sections the organisers write and order, and the report's options.

A workshop's report reads as a list of sections (``app.models.ReportSection``). Some hold only
the organisers' text (an introduction, a conclusion, a chapter of their own); some are made from
the workshop's data and may carry text before it (a round's results, a survey's answers, the
agenda); one (the summary) is the executive page. The outline is made on first need, in the
order of the 2019 report this app grew from, and kept in step with the workshop afterwards:

1. Summary (the executive page), Introduction, Background
2. Introductory talks: a chapter whose sections are the talks before the first round of the day
3. one section per round (in the rounds' order), each followed by the talks that came after it
   in the day (those are chapters of their own); a talk after the agenda's last round (closing
   words) comes after every round
4. one section per survey
5. Conclusion, Next steps, then the appendices: Agenda, Participants, Method

**Talks.** A talk is an agenda item with a *who* and no round: "Welcome — Research Council" is
one, "Lunch" (nobody) and "Group work — everyone" linked to a round are not. A talk before the
first agenda item that runs a round is an introductory talk (a section inside the talks
chapter); a later one is a chapter where it came in the day, after the round run just before it
(after every round when no agenda item after it runs one: closing words). Agenda order is the
agenda's own (its positions), as the facilitator arranged it.

**Keeping in step** (``ensure_outline`` and ``outline``). A round, survey or talk added after
the outline was made gets its section where the default outline would have put it: right after
the nearest section before it in that order that still exists (a new chapter never lands
between a chapter and its sections). The chapter over the talks is added back only with the
first talk, so one the organisers deleted stays deleted. When the round, survey or agenda item
of a section is deleted, the section goes too if nobody wrote in it; with text in it, it stays,
*orphaned*: shown in the editor (so the text can be copied) and left out of the files, until
someone deletes it.

**Titles.** A section's ``title`` is empty until the organisers rename it, and then reads as the
default: the round's, survey's or agenda item's own title, else the kind's title in the
workshop's language (``app.exports.labels.SECTION_TITLES``). So a renamed round renames its
section, and a workshop switched from English to bokmål gets bokmål headings.

**Editing.** ``edit_section`` saves a section's title, text, whether it is included and its
kind's structured data (a comment round's syntheses ``{"syntheses": {"0": text}}``, keyed by
the item's index; next steps' rows ``{"rows": [{"action", "owner", "when"}]}``), if nobody saved
the section since the version the writer started from; otherwise it raises ``edit_conflict``
with what is stored, as worksheets do (``app.services.worksheets``). Over-long text is refused
with a message, never cut.

Nothing here commits; reading the outline for a report (``outline``) writes nothing at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from flask_babel import gettext as _
from sqlalchemy import select
from flask_babel import lazy_gettext as _l

from app import i18n
from app.clock import utcnow
from app.errors import Conflict, DomainError
from app.exports.labels import APPENDIX_KINDS, section_title
from app.extensions import db
from app.models import AgendaItem, ReportSection, Round, RoundState, Survey, Workshop
from app.numbers import parse_whole, record_id, whole_number
from app.rounds import kind_of
from app.services import agenda, scoped, surveys
from app.text import clean_text

#: Sections about one thing of the workshop: a round, a survey, an agenda item (a talk).
LINKED_KINDS = ("round", "survey", "talk")
#: Sections that hold only the organisers' text: left out of the files while they are empty.
WRITTEN_KINDS = ("introduction", "background", "text", "conclusion", "talk", "next_steps")
#: ``data["role"]`` of the chapter over the introductory talks.
TALKS_ROLE = "talks"

#: Next steps: at most this many rows, each cell at most this long.
ROWS_MAX = 50
ROW_FIELDS = {"action": 500, "owner": 200, "when": 100}
#: How many ideas the executive page recommends unless the facilitator says otherwise.
DEFAULT_RECOMMENDED = 3

UNKNOWN_SECTION = _l("That section is not in this workshop's report.")


# --- what the workshop has that sections are about ----------------------------------------------
def is_talk(item: AgendaItem) -> bool:
    """Whether an agenda item is a talk: someone speaks (a *who*) and it runs no round."""
    return bool((item.who or "").strip()) and item.round_id is None


@dataclass(frozen=True)
class _Spec:
    """One section of the default outline: its kind, level and what it is about."""

    kind: str
    level: int = 1
    link: int | None = None
    role: str | None = None

    @property
    def key(self) -> tuple:
        return _key(self.kind, self.link, self.role)


def _key(kind: str, link: int | None, role: str | None) -> tuple:
    if kind in LINKED_KINDS:
        return (kind, link)
    if kind == "text":
        return (kind, role) if role else (kind, object())  # the organisers' own: never a default
    return (kind,)


def _link(section: ReportSection) -> int | None:
    return {"round": section.round_id, "survey": section.survey_id, "talk": section.agenda_item_id}.get(section.kind)


def _section_key(section: ReportSection) -> tuple:
    return _key(section.kind, _link(section), (section.data or {}).get("role"))


class _Workshop:
    """The workshop's rounds, surveys and agenda as the outline needs them, read once."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self.rounds: list[Round] = list(workshop.rounds)
        self.surveys: list[Survey] = surveys.surveys_of(workshop)
        self.items: list[AgendaItem] = agenda.items(workshop)
        self.round_by_id = {r.id: r for r in self.rounds}
        self.survey_by_id = {s.id: s for s in self.surveys}
        self.item_by_id = {i.id: i for i in self.items}

    def live(self, section: ReportSection) -> bool:
        """Whether what a linked section is about still exists (other sections always do)."""
        things = {"round": self.round_by_id, "survey": self.survey_by_id, "talk": self.item_by_id}.get(section.kind)
        return things is None or _link(section) in things

    def plan(self) -> list[_Spec]:
        """The default outline of the workshop as it is now (see the module's docstring)."""
        talks_before: list[AgendaItem] = []
        talks_after: dict[int, list[AgendaItem]] = {}
        linked = [n for n, item in enumerate(self.items) if item.round_id in self.round_by_id]
        for n, item in enumerate(self.items):
            if not is_talk(item):
                continue
            before = [self.items[m].round_id for m in linked if m < n]
            if not before:
                talks_before.append(item)
            else:
                # After the last round of the agenda: a closing talk, after every round.
                after = before[-1] if any(m > n for m in linked) else self.rounds[-1].id
                talks_after.setdefault(after, []).append(item)
        plan = [_Spec("summary"), _Spec("introduction"), _Spec("background")]
        if talks_before:
            plan.append(_Spec("text", role=TALKS_ROLE))
            plan += [_Spec("talk", level=2, link=i.id) for i in talks_before]
        for r in self.rounds:
            plan.append(_Spec("round", link=r.id))
            plan += [_Spec("talk", link=i.id) for i in talks_after.get(r.id, [])]
        plan += [_Spec("survey", link=s.id) for s in self.surveys]
        plan += [_Spec(kind) for kind in ("conclusion", "next_steps", "agenda", "participants", "method")]
        return plan

    def default_title(self, section: ReportSection) -> str:
        """What ``section`` is called while the organisers have not renamed it, in the workshop's
        language (the language of its files), whoever asks."""
        with i18n.in_language(self.workshop.language):
            return self._default_title(section)

    def _default_title(self, section: ReportSection) -> str:
        if section.kind == "round" and section.round_id in self.round_by_id:
            return self.round_by_id[section.round_id].title
        if section.kind == "survey" and section.survey_id in self.survey_by_id:
            return _("Survey: %(title)s", title=self.survey_by_id[section.survey_id].title)
        if section.kind == "talk" and section.agenda_item_id in self.item_by_id:
            return self.item_by_id[section.agenda_item_id].title
        if section.kind == "text" and not (section.data or {}).get("role"):
            return ""
        return section_title(section.kind, (section.data or {}).get("role"))

    def items_of(self, section: ReportSection) -> list[str]:
        """The items a round section's syntheses are about (a comment round's; none for others)."""
        round_ = self.round_by_id.get(section.round_id) if section.kind == "round" else None
        return list(kind_of(round_).commented_items(round_)) if round_ is not None else []


def _new(workshop: Workshop, spec: _Spec) -> ReportSection:
    link = {"round": "round_id", "survey": "survey_id", "talk": "agenda_item_id"}.get(spec.kind)
    section = ReportSection(workshop_id=workshop.id, kind=spec.kind, level=spec.level, title="", body="", included=True,
                            data={"role": spec.role} if spec.role else {}, version=0, updated_by="", position=0)
    if link:
        setattr(section, link, spec.link)
    return section


def _has_text(section: ReportSection) -> bool:
    data = section.data or {}
    return bool((section.body or "").strip() or (section.title or "").strip()
                or any((t or "").strip() for t in (data.get("syntheses") or {}).values())
                or any(any((v or "").strip() for v in row.values()) for row in data.get("rows") or []))


def _stored(workshop: Workshop) -> list[ReportSection]:
    return list(db.session.query(ReportSection).filter_by(workshop_id=workshop.id)
                .order_by(ReportSection.position, ReportSection.id))


def _reconcile(workshop: Workshop, ws: _Workshop) -> tuple[list[ReportSection], list[ReportSection]]:
    """The outline in order (new sections not yet added to the session) and the stored sections to delete."""
    plan = ws.plan()
    stored = _stored(workshop)
    if not stored:
        return [_new(workshop, spec) for spec in plan], []
    ordered: list[ReportSection] = []
    gone: list[ReportSection] = []
    present: dict[tuple, ReportSection] = {}
    for section in stored:
        key = _section_key(section)
        # A second section about the same thing (two first visits at once) goes unless written in.
        if (not ws.live(section) or key in present) and not _has_text(section):
            gone.append(section)
            continue
        ordered.append(section)
        if ws.live(section):
            present.setdefault(key, section)
    has_talks = any(s.kind == "talk" for s in present.values())
    for n, spec in enumerate(plan):
        if spec.key in present or (spec.role == TALKS_ROLE and has_talks):
            continue
        new = _new(workshop, spec)
        anchor = next((present[p.key] for p in reversed(plan[:n]) if p.key in present), None)
        at = ordered.index(anchor) + 1 if anchor is not None else 0
        if new.level == 1:
            while at < len(ordered) and ordered[at].level > 1:
                at += 1
        ordered.insert(at, new)
        present[spec.key] = new
    return ordered, gone


def ensure_outline(workshop: Workshop) -> list[ReportSection]:
    """The workshop's outline in order, made on first need and brought in step with the workshop.

    New sections are added to the session and stored positions renumbered 1, 2, …; a section
    whose round, survey or agenda item is gone is deleted if nothing was written in it (see the
    module's docstring). Nothing is written when the outline is already in step.
    """
    # One at a time per workshop (on PostgreSQL; SQLite has one writer anyway), so two first
    # visits do not both make an outline; one that slips through is pruned by the next call.
    db.session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())
    ws = _Workshop(workshop)
    ordered, gone = _reconcile(workshop, ws)
    for section in gone:
        db.session.delete(section)
    _renumber(ordered)
    db.session.flush()
    return ordered


def _renumber(ordered: list[ReportSection]) -> None:
    for position, section in enumerate(ordered, start=1):
        if section.id is None:
            db.session.add(section)
        if section.position != position:
            section.position = position


def outline(workshop: Workshop) -> list[ReportSection]:
    """The outline as ``ensure_outline`` would make it, without writing anything (for reports:
    a section not stored yet has no id)."""
    return _reconcile(workshop, _Workshop(workshop))[0]


def is_orphaned(section: ReportSection, ws: _Workshop) -> bool:
    """Whether the round, survey or agenda item ``section`` was about has been deleted."""
    return not ws.live(section)


# --- reading ------------------------------------------------------------------------------------
def get_section(workshop: Workshop, section_id: Any) -> ReportSection:
    """Section ``section_id`` of ``workshop``'s report; one of another workshop is not found."""
    return scoped.get(workshop, ReportSection, section_id, field="section_id", thing=_l("report section"),
                      code="unknown_section", message=UNKNOWN_SECTION)


def _syntheses(section: ReportSection) -> dict[str, str]:
    return {str(k): v for k, v in ((section.data or {}).get("syntheses") or {}).items() if (v or "").strip()}


def _rows(section: ReportSection) -> list[dict[str, str]]:
    return [{f: (row.get(f) or "") for f in ROW_FIELDS} for row in (section.data or {}).get("rows") or []]


def report_payload(workshop: Workshop) -> list[dict[str, Any]]:
    """The outline as plain data for the export writers (``reporting.workshop_report["outline"]``).

    In order; orphaned sections left out. Each: ``id`` (None until stored), ``kind``, ``title``
    (as the files show it), ``level``, ``included``, ``body``, ``role``, ``round_id``,
    ``survey_id``, ``agenda_item_id``; a talk adds ``start``, ``duration`` and ``who`` from its
    agenda item; a round section ``syntheses`` (``{"0": text}``, empty ones left out); next steps
    ``rows`` (empty rows left out).
    """
    ws = _Workshop(workshop)
    out = []
    for section in outline(workshop):
        if is_orphaned(section, ws):
            continue
        entry: dict[str, Any] = {
            "id": section.id, "kind": section.kind, "title": section.title or ws.default_title(section),
            "level": section.level, "included": bool(section.included), "body": section.body or "",
            "role": (section.data or {}).get("role"), "round_id": section.round_id, "survey_id": section.survey_id,
            "agenda_item_id": section.agenda_item_id,
        }
        if section.kind == "talk":
            item = ws.item_by_id[section.agenda_item_id]
            entry.update(start=item.start or "", duration=item.duration_min, who=item.who or "")
        if section.kind == "round":
            entry["syntheses"] = _syntheses(section)
        if section.kind == "next_steps":
            entry["rows"] = [r for r in _rows(section) if any(v.strip() for v in r.values())]
        out.append(entry)
    return out


def section_payload(section: ReportSection, ws: _Workshop | None = None) -> dict[str, Any]:
    """One section as the Report page edits it (and the JSON answers of its saves carry it)."""
    ws = ws or _Workshop(db.session.get(Workshop, section.workshop_id))
    data = section.data or {}
    orphaned = is_orphaned(section, ws)
    payload: dict[str, Any] = {
        "id": section.id, "kind": section.kind, "title": section.title, "default_title": ws.default_title(section),
        "level": section.level, "included": bool(section.included), "body": section.body or "", "version": section.version,
        "updated_by": section.updated_by or None, "orphaned": orphaned, "role": data.get("role"),
        "own": section.kind == "text", "deletable": section.kind == "text" or orphaned,
        "written": section.kind in WRITTEN_KINDS, "appendix": section.kind in APPENDIX_KINDS,
    }
    if section.kind == "round":
        round_ = ws.round_by_id.get(section.round_id)
        payload["not_run"] = round_ is not None and round_.state is RoundState.DRAFT
        items = ws.items_of(section)
        if items:
            syntheses = data.get("syntheses") or {}
            payload["commented_items"] = [{"index": n, "text": text, "synthesis": syntheses.get(str(n), "")}
                                          for n, text in enumerate(items)]
    if section.kind == "talk" and section.agenda_item_id in ws.item_by_id:
        item = ws.item_by_id[section.agenda_item_id]
        payload.update(start=item.start or "", who=item.who or "")
    if section.kind == "next_steps":
        payload["rows"] = _rows(section)
    payload["empty"] = section.kind in WRITTEN_KINDS and not (section.body or "").strip() and not any(
        v.strip() for row in payload.get("rows") or [] for v in row.values())
    return payload


def editor_payload(workshop: Workshop) -> list[dict[str, Any]]:
    """Every section of the stored outline, in order, as the Report page edits them."""
    ws = _Workshop(workshop)
    return [section_payload(s, ws) for s in _stored(workshop)]


# --- editing ------------------------------------------------------------------------------------
def _clean_title(section: ReportSection, value: Any, default: str) -> str:
    if not isinstance(value, str):
        raise DomainError("bad_title", _l("Send the section's title as text."))
    title = clean_text(value)
    if len(title) > ReportSection.TITLE_MAX:
        raise DomainError("title_too_long", _l("A section's title can be at most %(max)s characters (this one has "
                                               "%(count)s).", max=ReportSection.TITLE_MAX, count=len(title)))
    if not title and not default:
        raise DomainError("title_required", _l("Give the section a title."))
    # The default title is not stored: the section then follows its round's (or language's) name.
    return "" if title == default else title


def _clean_body(value: Any) -> str:
    if not isinstance(value, str):
        raise DomainError("bad_body", _l("Send the section's text as text."))
    # Not trimmed: a section is saved while someone types, trailing spaces included.
    body = clean_text(value, trim=False)
    if len(body) > ReportSection.BODY_MAX:
        raise DomainError("body_too_long", _l("A section's text can be at most %(max)s characters (this one has %(count)s): "
                                              "shorten it or split it into two sections.",
                                              max=ReportSection.BODY_MAX, count=len(body)))
    return body


def _clean_syntheses(value: Any, items: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise DomainError("bad_data", _l("Send the syntheses as an object from each item's number to its text."))
    out = {}
    for raw, text in value.items():
        index = parse_whole(raw)
        if index is None or not 0 <= index < len(items):
            raise DomainError("unknown_item", _l("There is no item %(index)s to write a synthesis for.", index=str(raw)[:20]))
        if not isinstance(text, str):
            raise DomainError("bad_data", _l("Send each synthesis as text."))
        text = clean_text(text, trim=False)
        if len(text) > ReportSection.BODY_MAX:
            raise DomainError("synthesis_too_long", _l("The synthesis for “%(item)s” can be at most %(max)s characters "
                                                       "(it has %(count)s).", item=items[index], max=ReportSection.BODY_MAX,
                                                       count=len(text)))
        if text.strip():
            out[str(index)] = text
    return out


#: The refusal of a next-steps cell that is too long, by column.
_ROW_TOO_LONG = {
    "action": _l("An action can be at most %(max)s characters (row %(row)s has %(count)s)."),
    "owner": _l("“Who” can be at most %(max)s characters (row %(row)s has %(count)s)."),
    "when": _l("“When” can be at most %(max)s characters (row %(row)s has %(count)s)."),
}


def _clean_rows(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise DomainError("bad_data", _l("Send the next steps as a list of rows."))
    if len(value) > ROWS_MAX:
        raise DomainError("too_many_rows", _l("Next steps can have at most %(max)s rows.", max=ROWS_MAX))
    rows = []
    for n, row in enumerate(value, start=1):
        if not isinstance(row, dict) or set(row) - set(ROW_FIELDS) or not all(isinstance(v, str) for v in row.values()):
            raise DomainError("bad_row", _l("Row %(row)s of the next steps must hold an action, who and when, as text.", row=n))
        clean = {f: clean_text(row.get(f, ""), trim=False) for f in ROW_FIELDS}
        for f, most in ROW_FIELDS.items():
            if len(clean[f]) > most:
                raise DomainError("row_too_long", _l(_ROW_TOO_LONG[f], max=most, row=n, count=len(clean[f])))
        rows.append(clean)
    return rows


def clean_data(kind: str, value: Any, items: list[str], role: str | None = None) -> dict[str, Any]:
    """``value`` as the ``data`` of a section of ``kind`` (``role`` kept), checked as the Report
    page checks it: syntheses only for a round whose comment ``items`` they are about, rows only
    for next steps. Raises ``DomainError`` ``bad_data`` (or the syntheses' and rows' own)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise DomainError("bad_data", _l("Send the section's data as an object."))
    data: dict[str, Any] = {"role": role} if role else {}
    allowed = {"round": ("syntheses",), "next_steps": ("rows",)}.get(kind, ())
    extra = set(value) - set(allowed) - {"role"}
    if extra or (kind == "round" and "syntheses" in value and not items):
        raise DomainError("bad_data", _l("This section holds no syntheses or rows: send its title and text only."))
    if "syntheses" in value:
        data["syntheses"] = _clean_syntheses(value["syntheses"], items)
    if "rows" in value:
        data["rows"] = _clean_rows(value["rows"])
    return data


def _clean_data(section: ReportSection, value: Any, ws: _Workshop) -> dict[str, Any]:
    """``value`` as the section's new ``data`` (its role kept), checked for the section's kind."""
    return clean_data(section.kind, value, ws.items_of(section), (section.data or {}).get("role"))


def _current(section: ReportSection) -> dict[str, Any]:
    """What is stored, for a conflict's ``details.current``."""
    data = section.data or {}
    current = {"title": section.title, "body": section.body or "", "included": bool(section.included),
               "version": section.version, "updated_by": section.updated_by or None}
    if "syntheses" in data:
        current["syntheses"] = dict(data["syntheses"])
    if section.kind == "next_steps":
        current["rows"] = _rows(section)
    return current


def edit_section(section: ReportSection, *, base_version: Any, editor: str, title: Any = None, body: Any = None,
                 included: Any = None, data: Any = None) -> ReportSection:
    """Save what is given of a section (None: unchanged) if nobody saved it since ``base_version``.

    ``title`` empty (or the default title) goes back to the default; an own section needs a
    title. ``data`` replaces the kind's structured content: ``{"syntheses": {...}}`` for a round
    with commented items, ``{"rows": [...]}`` for next steps.

    Raises:
        DomainError: a value of the wrong type, an over-long title, text, synthesis or cell, an
            unknown item, data the kind does not hold, or a bad ``base_version``.
        Conflict ``edit_conflict``: someone saved the section in between; ``details.current``
            carries what is stored (title, body, included, syntheses or rows, version, who).
    """
    ws = _Workshop(db.session.get(Workshop, section.workshop_id))
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = _clean_title(section, title, ws.default_title(section))
    if body is not None:
        changes["body"] = _clean_body(body)
    if included is not None:
        if not isinstance(included, bool):
            raise DomainError("bad_included", _l("Say with true or false whether the section is in the report."))
        changes["included"] = included
    if data is not None:
        changes["data"] = _clean_data(section, data, ws)
    base = whole_number(base_version, "base_version", message=_l(
        "base_version must be the version you edited (a whole number): reload the Report page and try again."))
    if base != section.version:
        who = section.updated_by or None
        raise Conflict(
            "edit_conflict",
            _l("%(name)s changed this section while you were writing. Both texts are shown: keep yours or take theirs.",
               name=who) if who else
            _l("Someone changed this section while you were writing. Both texts are shown: keep yours or take theirs."),
            current=_current(section),
        )
    for name, value in changes.items():
        setattr(section, name, value)
    section.version, section.updated_by, section.updated_at = section.version + 1, editor[:120], utcnow()
    db.session.flush()
    return section


def _blocks(ordered: list[ReportSection]) -> list[list[ReportSection]]:
    """The outline cut into chapters: a level-1 section with the level-2 sections after it."""
    blocks: list[list[ReportSection]] = []
    for section in ordered:
        if section.level > 1 and blocks:
            blocks[-1].append(section)
        else:
            blocks.append([section])
    return blocks


def move_section(workshop: Workshop, section: ReportSection, direction: Any) -> list[ReportSection]:
    """Move a section one place ``"up"`` or ``"down"``; returns the outline in its new order.

    A chapter moves with its sections, past the whole chapter next to it; a section inside a
    chapter moves past its neighbour, and past the chapter's heading into the chapter before.
    At either end nothing moves.

    Raises:
        DomainError ``bad_direction``: ``direction`` is neither ``"up"`` nor ``"down"``.
    """
    if direction not in ("up", "down"):
        raise DomainError("bad_direction", _l("Move a section up or down."))
    ordered = ensure_outline(workshop)
    if section.level > 1:
        n = ordered.index(section)
        m = n - 1 if direction == "up" else n + 1
        if 0 <= m < len(ordered) and (direction == "up" or ordered[m].level > 1):
            ordered[n], ordered[m] = ordered[m], ordered[n]
    else:
        blocks = _blocks(ordered)
        n = next(i for i, b in enumerate(blocks) if b[0] is section)
        m = n - 1 if direction == "up" else n + 1
        if 0 <= m < len(blocks):
            blocks[n], blocks[m] = blocks[m], blocks[n]
        ordered = [s for b in blocks for s in b]
    _renumber(ordered)
    db.session.flush()
    return ordered


def add_section(workshop: Workshop, *, title: Any, after: Any = None) -> ReportSection:
    """A chapter of the organisers' own (kind ``text``), after the chapter holding section
    ``after``, or else before the appendices.

    Raises:
        DomainError: no title, or one that is too long; NotFound: ``after`` is not a section of
            this workshop.
    """
    ordered = ensure_outline(workshop)
    section = _new(workshop, _Spec("text"))
    section.title = _clean_title(section, title, "")
    if after not in (None, ""):
        anchor = get_section(workshop, after)
        blocks = _blocks(ordered)
        at = next(i for i, b in enumerate(blocks) if anchor in b) + 1
        ordered = [s for b in blocks[:at] for s in b] + [section] + [s for b in blocks[at:] for s in b]
    else:
        at = next((n for n, s in enumerate(ordered) if s.kind in APPENDIX_KINDS), len(ordered))
        ordered.insert(at, section)
    _renumber(ordered)
    db.session.flush()
    return section


def delete_section(workshop: Workshop, section: ReportSection) -> None:
    """Delete a section of the organisers' own, or one whose round, survey or agenda item is gone.

    Raises:
        DomainError ``not_deletable``: the section is made from the workshop's data (leave it out
            of the report instead).
    """
    ws = _Workshop(workshop)
    if section.kind != "text" and not is_orphaned(section, ws):
        raise DomainError("not_deletable", _l("This section is made from the workshop's data: untick “In the report” to "
                                              "leave it out instead."))
    db.session.delete(section)
    db.session.flush()
    _renumber([s for s in _stored(workshop)])
    db.session.flush()


# --- the report's options -----------------------------------------------------------------------
def final_round_choices(workshop: Workshop) -> list[Round]:
    """The rounds that can give the report's final priorities: closed votes whose stored result
    ranks ideas for the whole room (not per group), in the rounds' order."""
    out = []
    for round_ in workshop.rounds:
        kind = kind_of(round_)
        snapshot = round_.latest_result
        if not kind.votes or round_.state is not RoundState.CLOSED or snapshot is None:
            continue
        stored = snapshot.data or {}
        if not stored.get("standings") or (stored.get("settings") or {}).get("per_group"):
            continue
        if not kind.final_list:
            continue
        out.append(round_)
    return out


def resolved_options(workshop: Workshop, choices: Iterable[Round] | None = None) -> dict[str, Any]:
    """The report's options as they apply now: ``final_round`` (the chosen round if it can
    still give the final priorities, else the last that can; None without one), ``chosen``
    (whether the facilitator chose it), ``recommended`` (the number asked for, or 3, at most the
    number of ideas that round ranks) and ``ideas`` (that number)."""
    choices = list(final_round_choices(workshop) if choices is None else choices)
    stored = workshop.report_options or {}
    by_id = {r.id: r for r in choices}
    chosen = by_id.get(stored.get("final_round"))
    final = chosen or (choices[-1] if choices else None)
    ideas = len(final.latest_result.data.get("standings") or []) if final else 0
    wanted = stored.get("recommended") or DEFAULT_RECOMMENDED
    return {"final_round": final.id if final else None, "chosen": chosen is not None,
            "recommended": max(1, min(wanted, ideas)) if ideas else wanted, "ideas": ideas}


def set_report_options(workshop: Workshop, *, final_round: Any = None, recommended: Any = None) -> dict[str, Any]:
    """Choose the round that gives the final priorities (empty: the last closed vote) and how many
    of its ideas the executive page recommends (empty: 3); returns ``resolved_options``.

    Raises:
        DomainError ``not_a_final_round``: the round is not a closed vote with a result for the
            whole room; ``bad_recommended``: not a whole number from 1 to the number of ideas
            that round ranks; ``no_final_round``: a number is given but no vote has a result yet.
    """
    choices = final_round_choices(workshop)
    options = dict(workshop.report_options or {})
    if final_round in (None, "", 0, "0"):
        options.pop("final_round", None)
    else:
        round_id = record_id(final_round, "final_round", _l("round"))
        if round_id not in {r.id for r in choices}:
            round_ = db.session.get(Round, round_id)
            title = round_.title if round_ is not None and round_.workshop_id == workshop.id else str(round_id)
            raise DomainError("not_a_final_round", _l("“%(title)s” cannot give the final priorities: choose a closed vote "
                                                      "whose result ranks ideas for the whole room.", title=title))
        options["final_round"] = round_id
    if recommended in (None, ""):
        options.pop("recommended", None)
    else:
        final = next((r for r in choices if r.id == options.get("final_round")), choices[-1] if choices else None)
        if final is None:
            raise DomainError("no_final_round", _l("No vote has a result yet: the number of recommended ideas can be set "
                                                   "once one has."))
        most = len(final.latest_result.data.get("standings") or [])
        number = parse_whole(recommended)
        if number is None or not 1 <= number <= most:
            raise DomainError("bad_recommended", _l("The number of recommended ideas must be a whole number from 1 to "
                                                    "%(max)s (the ideas “%(title)s” ranks).", max=most, title=final.title))
        options["recommended"] = number
    workshop.report_options = options
    db.session.flush()
    return resolved_options(workshop, choices)
