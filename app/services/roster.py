"""The participant list ahead of the workshop, personal join links, and cross-sector groups."""
from __future__ import annotations

import csv
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app import i18n
from app.errors import DomainError
from app.extensions import db
from app.models import Group, Participant, Workshop
from app.sectors import SECTORS, sector_label
from app.services import scoped
from app.services.participants import NAME_MAX, ORGANISATION_MAX

GROUP_NAME_MAX = 80
ROSTER_MAX_ROWS = 5000
#: The refusal of a number of groups outside 1–100.
GROUP_COUNT_MESSAGE = _l("Choose between 1 and 100 groups.")


@dataclass
class RosterImport:
    """What a roster import did: participants added, and the rows it refused with reasons."""

    added: list[Participant] = field(default_factory=list)
    #: One sentence per refused row, in the language being spoken while importing (the job
    #: runs in its facilitator's), naming the row by its line in the file.
    errors: list[str] = field(default_factory=list)


def _sector_names() -> dict[str, str]:
    """Every way a roster may name a sector, lowercased: its key and its name in each language."""
    names = {}
    for key in SECTORS:
        names[key] = key
        for lang in i18n.LANGUAGES:
            names[sector_label(key, lang).lower()] = key
    return names


def _sector_key(raw: str, names: dict[str, str]) -> str | None:
    """A sector key from a key or a label in any of Tavle's languages ("Næringsliv", "industry");
    ``""`` for a sector that is not known."""
    text = (raw or "").strip().lower()
    if not text:
        return None
    return names.get(text, "")


def import_csv(workshop: Workshop, text: str) -> RosterImport:
    """Add participants from CSV with a header row: name, organisation, sector, email (optional).

    Column names may be Norwegian (navn or namn, organisasjon, sektor, e-post) or English; the
    separator may be a comma or a semicolon (as spreadsheets in Norway write it). Rows with a
    problem are skipped and reported by line number; the others are added.
    """
    text = (text or "").lstrip("\ufeff")
    if not text.strip():
        raise DomainError("empty_roster", _l("The file is empty. It needs a header row: name, organisation, sector, email."))
    dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        pass
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    aliases = {
        "name": {"name", "navn", "namn", "full name", "fullt navn", "fullt namn"},
        "organisation": {"organisation", "organization", "organisasjon", "org"},
        "sector": {"sector", "sektor"},
        "email": {"email", "e-mail", "e-post", "epost"},
    }
    header = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    columns = {key: next((header[a] for a in names if a in header), None) for key, names in aliases.items()}
    if columns["name"] is None and columns["organisation"] is None:
        raise DomainError("bad_roster_header", _l("The first row must name the columns: name, organisation, sector, email."))
    result = RosterImport()
    sector_names = _sector_names()
    for line, row in enumerate(reader, start=2):
        if line > ROSTER_MAX_ROWS + 1:
            result.errors.append(_("Stopped after %(max)s rows.", max=ROSTER_MAX_ROWS))
            break
        get = lambda key: (row.get(columns[key]) or "").strip() if columns[key] else ""  # noqa: E731
        name, organisation, sector_raw, email = get("name"), get("organisation"), get("sector"), get("email")
        if not (name or organisation):
            continue
        sector = _sector_key(sector_raw, sector_names)
        if sector == "":
            result.errors.append(_("Line %(line)s: unknown sector “%(sector)s”.", line=line, sector=sector_raw))
            continue
        if len(name) > NAME_MAX or len(organisation) > ORGANISATION_MAX:
            result.errors.append(_("Line %(line)s: the name or organisation is too long.", line=line))
            continue
        if email and ("@" not in email or len(email) > 254):
            result.errors.append(_("Line %(line)s: “%(email)s” is not an e-mail address.", line=line, email=email))
            continue
        p = Participant(workshop=workshop, name=name or None, organisation=organisation or None, sector=sector,
                        email=email or None, from_roster=True)
        db.session.add(p)
        result.added.append(p)
    db.session.flush()
    return result


def import_organisations(workshop: Workshop, organisations: list[dict[str, Any]]) -> list[Participant]:
    """Add one roster participant per attendee of each organisation (the demo fixture's form)."""
    added = []
    for org in organisations:
        for _ in range(int(org.get("participants", 1))):
            p = Participant(workshop=workshop, organisation=org["name"], sector=org.get("sector"), from_roster=True)
            db.session.add(p)
            added.append(p)
    db.session.flush()
    return added


def get_participant(workshop: Workshop, participant_id: Any) -> Participant:
    """Participant ``participant_id`` of ``workshop``; one of another workshop is not found."""
    return scoped.get(workshop, Participant, participant_id, field="participant_id", thing=lazy_pgettext("record", "participant"),
                      code="unknown_participant", message=_l("That participant is not in this workshop."))


def get_group(workshop: Workshop, group_id: Any) -> Group:
    """Group ``group_id`` of ``workshop``; a group of another workshop is not found."""
    return scoped.get(workshop, Group, group_id, field="group_id", thing=_l("group"), code="unknown_group",
                      message=_l("That group does not exist in this workshop."))


def add_group(workshop: Workshop, name: str, table_label: str = "") -> Group:
    name = (name or "").strip()
    if not name or len(name) > GROUP_NAME_MAX:
        raise DomainError("bad_group_name", _l("Give the group a name of at most %(max)s characters.", max=GROUP_NAME_MAX))
    group = Group(workshop=workshop, name=name, table_label=(table_label or "").strip()[:40],
                  position=len(workshop.groups) + 1)
    db.session.add(group)
    db.session.flush()
    return group


def move(participant: Participant, group: Group | None) -> Participant:
    """Put a participant in ``group`` (None: no group)."""
    participant.group_id = group.id if group else None
    participant.group = group
    return participant


def assign_groups(workshop: Workshop, n_groups: int, *, rng: random.Random | None = None,
                  names: list[str] | None = None) -> list[Group]:
    """Split everyone into ``n_groups`` cross-sector groups, replacing any groups there were.

    The rule: people are placed one at a time, largest sector first (so scarce sectors are
    spread, not left over), and each goes to the group that (1) has the fewest people of their
    sector, then (2) the fewest of their organisation, then (3) the fewest people; remaining
    ties go to the group with the lower number. So every sector with at least ``n_groups``
    people is in every group, sector counts differ by at most one between groups, colleagues
    from one organisation are split up whenever the numbers allow, and group sizes differ by
    at most one. ``rng`` only shuffles who within a sector is placed first.
    """
    if not isinstance(n_groups, int) or isinstance(n_groups, bool) or not 1 <= n_groups <= 100:
        raise DomainError("bad_group_count", GROUP_COUNT_MESSAGE)
    people = list(workshop.participants)
    if not people:
        raise DomainError("no_participants", _l("There is nobody to put in groups yet."))
    rng = rng or random.Random(workshop.id)
    for p in people:
        p.group_id = None
        p.group = None
    for g in list(workshop.groups):
        db.session.delete(g)
    workshop.groups.clear()
    db.session.flush()
    groups = []
    # The default names are stored, so they are written in the workshop's language.
    with i18n.in_language(workshop.language):
        for n in range(n_groups):
            label = (names[n] if names and n < len(names) else None) or _("Group %(n)s", n=n + 1)
            groups.append(Group(workshop=workshop, name=label, table_label=_("Table %(n)s", n=n + 1), position=n + 1))
    db.session.add_all(groups)
    db.session.flush()
    sector_size = Counter(p.sector or "other" for p in people)
    rng.shuffle(people)
    people.sort(key=lambda p: (-sector_size[p.sector or "other"], p.sector or "other"))
    by_sector = [Counter() for _ in groups]
    by_org = [Counter() for _ in groups]
    size = [0] * len(groups)
    for p in people:
        sector, org = p.sector or "other", (p.organisation or "").strip().lower()
        best = min(range(len(groups)), key=lambda g: (by_sector[g][sector], by_org[g][org] if org else 0, size[g], g))
        p.group = groups[best]
        p.group_id = groups[best].id
        by_sector[best][sector] += 1
        if org:
            by_org[best][org] += 1
        size[best] += 1
    db.session.flush()
    return groups


def groups_payload(workshop: Workshop) -> list[dict[str, Any]]:
    """Groups with their members (organisation and sector; names where the workshop shows them)."""
    return [
        {
            "id": g.id, "name": g.name, "table": g.table_label,
            "members": [
                {"id": p.id, "name": p.name, "organisation": p.organisation, "sector": p.sector} for p in g.members
            ],
        }
        for g in workshop.groups
    ]
