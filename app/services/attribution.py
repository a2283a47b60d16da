"""Who an idea, a comment or a quote is shown as coming from: the one rule for every audience.

Every place that shows where an idea, a comment or a quote came from (the projector's wall,
the console, the phones, the report, the workbook, the Markdown summary, a round's JSON)
asks ``Attribution.label`` and shows what it returns, so the rule cannot differ between a
screen and a file. The rule, in order:

1. **Names** only where the workshop shows names (``Workshop.show_names``): the author's name,
   followed by their organisation where rule 2 allows it ("Kari · DNV GL").
2. **An organisation** only where at least ``k`` participants of the workshop gave it
   (``Workshop.attribution_min``, 3 by default). Organisations are compared as people type
   them, ignoring case and spaces at the ends or doubled inside ("dnv gl " is "DNV GL"). In
   a room where an organisation sent one person, naming the organisation names the person
   (the participant list says who came from where).
3. Otherwise **the group**: the idea's or comment's own group, else its author's. A group is
   shown whatever its size: groups are the tables the facilitator made, each mixing sectors
   and several people, and what a group sends is the table's, not one member's. (A
   facilitator who makes a group of one person makes that person's ideas that group's.)
4. Otherwise **the sector**, only where at least ``k`` participants are in it.
5. Otherwise nothing: the idea is shown without an origin.

The same ``k`` decides which organisations the participants appendix and the workbook list by
name (``shown_organisation``): smaller ones are counted per sector, not named. The sector
breakdown of a vote has its own threshold (``min_cell``) and is not touched here.

Counting needs the workshop's participants: ``for_workshop`` counts them in memory when they
are loaded (the report), else with one grouped query (no participant is loaded).
Build one ``Attribution`` per list of ideas or comments, not one per item.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from sqlalchemy import func, select

from app.extensions import db
from app.models import Group, Participant, Workshop
from app.sectors import sector_label

#: ``Workshop.attribution_min``'s default and the range a facilitator may choose from.
DEFAULT_MIN, MIN_MIN, MAX_MIN = 3, 1, 50

#: Between the parts of a label ("Kari · DNV GL").
SEPARATOR = " · "


def organisation_key(name: Any) -> str:
    """``name`` as organisations are compared: spaces trimmed and single, case folded ("" for none)."""
    if not isinstance(name, str):
        return ""
    return " ".join(name.split()).casefold()


def _clean(name: Any) -> str:
    """``name`` as shown: spaces trimmed and single (the case as the participant typed it)."""
    return " ".join(name.split()) if isinstance(name, str) else ""


@dataclass(frozen=True)
class Attribution:
    """The attribution rule of one workshop, with the head counts it needs (see the module).

    Attributes:
        show_names: whether the workshop shows participants' names.
        k: the fewest participants an organisation (or a sector) needs to be shown.
        organisations: organisation key (``organisation_key``) -> participants who gave it.
        spellings: organisation key -> how it is shown: the spelling most participants typed
            (trimmed; of equally common ones, the first in alphabetical order).
        sectors: sector key -> participants in it.
        groups: group id -> the group's name.
        language: the workshop's language, that of sector names in labels.
    """

    show_names: bool
    k: int
    organisations: Mapping[str, int] = field(default_factory=dict)
    spellings: Mapping[str, str] = field(default_factory=dict)
    sectors: Mapping[str, int] = field(default_factory=dict)
    groups: Mapping[int, str] = field(default_factory=dict)
    language: str | None = None

    def organisation_count(self, name: Any) -> int:
        """How many participants gave organisation ``name`` (any case and spacing)."""
        key = organisation_key(name)
        return self.organisations.get(key, 0) if key else 0

    def shown_organisation(self, name: Any) -> str | None:
        """Organisation ``name`` as shown (see ``spellings``) where at least ``k`` participants gave it, else None."""
        if self.organisation_count(name) >= self.k:
            return self.spellings[organisation_key(name)]
        return None

    def shown_sector(self, key: Any) -> str | None:
        """The sector's name (in the workshop's language) where at least ``k`` participants are in it, else None."""
        if isinstance(key, str) and key and self.sectors.get(key, 0) >= self.k:
            return sector_label(key, self.language) or None
        return None

    def label(self, author: Any = None, group_id: int | None = None) -> str | None:
        """What to show as the origin of something ``author`` sent for group ``group_id``.

        ``author`` is a participant (or anything with ``name``, ``organisation``, ``sector``
        and ``group_id``), or None for what a group registered without an author;
        ``group_id`` is the idea's or comment's group (None: the author's group). Returns
        the label, or None where nothing may be shown (see the module for the rule).
        """
        organisation = self.shown_organisation(getattr(author, "organisation", None)) if author is not None else None
        name = _clean(getattr(author, "name", None)) if author is not None else ""
        if self.show_names and name:
            return SEPARATOR.join(x for x in (name, organisation) if x)
        if organisation:
            return organisation
        if group_id is None and author is not None:
            group_id = getattr(author, "group_id", None)
        group = self.groups.get(group_id) if group_id is not None else None
        if group:
            return group
        if author is not None:
            return self.shown_sector(getattr(author, "sector", None))
        return None


class _GroupNames(Mapping[int, str]):
    """Group id -> name of a workshop, read when first asked (most labels never need a group)."""

    def __init__(self, workshop: Workshop) -> None:
        self._workshop = workshop
        self._names: dict[int, str] | None = None

    def _load(self) -> dict[int, str]:
        if self._names is None:
            if "groups" in self._workshop.__dict__:  # already loaded: no query
                self._names = {g.id: g.name for g in self._workshop.groups}
            else:
                rows = db.session.execute(select(Group.id, Group.name).where(Group.workshop_id == self._workshop.id))
                self._names = {group_id: name for group_id, name in rows}
        return self._names

    def __getitem__(self, group_id: int) -> str:
        return self._load()[group_id]

    def __iter__(self) -> Iterator[int]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())


def for_workshop(workshop: Workshop) -> Attribution:
    """The attribution rule of ``workshop`` with its head counts.

    Counts the workshop's participants in memory when they are loaded already (as the report
    has them), else with one grouped query over them.
    """
    organisations: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = {}
    sectors: Counter[str] = Counter()
    if "participants" in workshop.__dict__:  # already loaded: no query
        rows = [(p.organisation, p.sector, 1) for p in workshop.participants]
    else:
        rows = db.session.execute(
            select(Participant.organisation, Participant.sector, func.count())
            .where(Participant.workshop_id == workshop.id)
            .group_by(Participant.organisation, Participant.sector)
        )
    for organisation, sector, count in rows:
        key = organisation_key(organisation)
        if key:
            organisations[key] += count
            spelled.setdefault(key, Counter())[_clean(organisation)] += count
        if sector:
            sectors[sector] += count
    spellings = {key: min(counts, key=lambda text: (-counts[text], text)) for key, counts in spelled.items()}
    return Attribution(show_names=bool(workshop.show_names), k=workshop.attribution_min, organisations=dict(organisations),
                       spellings=spellings, sectors=dict(sectors), groups=_GroupNames(workshop),
                       language=workshop.language)
