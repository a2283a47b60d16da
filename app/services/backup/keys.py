"""Keys instead of database ids: the translation both ways, and every reference a stored result holds.

A backup names every row by a local key (``p1``, ``g1``, ``r1``, ``i1``, ...). ``Ids`` translates
idea, group and round references between the two; ``map_snapshot`` and ``map_settings`` apply it
to a stored result and a round's settings. Which explanation fields of a counting method hold
ideas is declared by the method (``app.voting.OPTION_FIELDS``); how a ballot names ideas is the
round kind's (``map_ballot`` in ``app.rounds``).
"""
from __future__ import annotations

from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from app.errors import N_, DomainError
from app.voting import OPTION_FIELDS, OPTION_KEYS, OPTION_LIST, OPTION_LISTS, OPTION_MATRIX

FORMAT = "tavle-workshop"
VERSION = 1


#: "There is no … in the file", per kind of row a reference names (``%(value)s``: the key).
MISSING_ROW = {
    "idea": N_("there is no idea “%(value)s” in the file."),
    "group": N_("there is no group “%(value)s” in the file."),
    "round": N_("there is no round “%(value)s” in the file."),
    "participant": N_("there is no participant “%(value)s” in the file."),
    "question": N_("there is no question “%(value)s” in the file."),
    "survey": N_("there is no survey “%(value)s” in the file."),
}
#: A reference that is not a key at all, per kind of row (``%(value)s``: what the file holds).
NOT_A_KEY = {
    "idea": N_("“%(value)s” does not name an idea."),
    "group": N_("“%(value)s” does not name a group."),
    "round": N_("“%(value)s” does not name a round."),
}


class BadBackup(DomainError):
    """A backup file that cannot be restored; the message says what is wrong, ``path`` where.

    ``path`` (``rounds[r1].ballots[0].content``) is data: it goes to the client as
    ``details.path`` and is put, as it is, before the translated reason in every language.
    """

    def __init__(self, message: Any, code: str = "bad_backup", *, path: str | None = None, **details: Any):
        if path:
            details["path"] = path
        super().__init__(code, message, status=400, **details)
        self.path = path

    @property
    def message(self) -> str:
        reason = str(self.lazy_message)
        return f"{self.path}: {reason}" if self.path else reason


class Ids:
    """Translates idea, group and round references between database ids and local keys.

    Export (``strict=False``): an id that no longer names a row (a group deleted when groups
    were made again) becomes None, and a dict entry keyed by it is dropped. Restore
    (``strict=True``): an unknown key is an error.
    """

    def __init__(self, ideas: dict[str, Any], groups: dict[str, Any], rounds: dict[str, Any], *, strict: bool):
        self.maps = {"idea": ideas, "group": groups, "round": rounds}
        self.strict = strict

    def get(self, what: str, value: Any, where: str) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            if self.strict:
                raise BadBackup(_l(NOT_A_KEY[what], value=repr(value)), path=where)
            return None
        found = self.maps[what].get(str(value))
        if found is None and self.strict:
            raise BadBackup(_l(MISSING_ROW[what], value=value), path=where)
        return found

    @staticmethod
    def error(message: Any, path: str | None = None) -> "BadBackup":
        """The refusal of a bad value (a kind raises it while it reads its part of a round):
        a lazy ``message`` saying what is wrong, and the ``path`` of the value in the file."""
        return BadBackup(message, path=path)

    @staticmethod
    def as_dict(value: Any, where: str) -> dict:
        return as_dict(value, where)

    @staticmethod
    def as_list(value: Any, where: str) -> list:
        return as_list(value, where)

    def idea(self, value: Any, where: str) -> Any:
        return self.get("idea", value, where)

    def ideas(self, values: Any, where: str) -> list:
        out = [self.idea(v, where) for v in as_list(values, where)]
        return [v for v in out if v is not None]

    def keyed(self, mapping: Any, where: str, what: str = "idea", inner: Callable[[Any], Any] | None = None) -> dict:
        """A dict keyed by ``what`` references, with its keys translated (and values by ``inner``)."""
        out = {}
        for key, value in as_dict(mapping, where).items():
            new = self.get(what, key, where)
            if new is not None:
                out[str(new)] = inner(value) if inner else value
        return out


def as_list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadBackup(_l("expected a list."), path=where)
    return value


def as_dict(value: Any, where: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadBackup(_l("expected an object."), path=where)
    return value


def map_settings(settings: Any, ids: Ids, where: str) -> dict:
    out = dict(as_dict(settings, where))
    if out.get("source_round_id") is not None:
        out["source_round_id"] = ids.get("round", out["source_round_id"], f"{where}.source_round_id")
    return out


def _map_extra(extra: Any, ids: Ids, where: str) -> dict:
    out = dict(as_dict(extra, where))
    if "group_id" in out:
        out["group_id"] = ids.get("group", out["group_id"], where)
    return out


def _map_options(shape: Any, value: Any, ids: Ids, where: str) -> Any:
    """``value`` with the option ids its ``shape`` declares translated (see ``app.voting.OPTION_FIELDS``)."""
    if isinstance(shape, list):
        # A list of objects, each with the fields of ``shape[0]``.
        fields = shape[0]
        return [
            {**as_dict(row, where), **{f: _map_options(s, as_dict(row, where).get(f), ids, where) for f, s in fields.items()}}
            for row in as_list(value, where)
        ]
    if shape == OPTION_KEYS:
        return ids.keyed(value, where)
    if shape == OPTION_MATRIX:
        return ids.keyed(value, where, "idea", lambda row: ids.keyed(row, where))
    if shape == OPTION_LIST:
        return ids.ideas(value, where)
    if shape == OPTION_LISTS:
        return {name: ids.ideas(v, where) for name, v in as_dict(value, where).items()}
    raise ValueError(f"unknown option shape {shape!r}")


def _map_explanation(method: Any, explanation: Any, ids: Ids, where: str) -> dict:
    e = dict(as_dict(explanation, where))
    if isinstance(e.get("groups"), dict):
        # A round held in groups: each group's own result.
        e["groups"] = ids.keyed(e["groups"], where, "group", lambda r: _map_result(r, ids, where))
        return e
    fields = OPTION_FIELDS.get(method, {}) if isinstance(method, str) else {}
    for field, shape in fields.items():
        if field in e:
            e[field] = _map_options(shape, e[field], ids, where)
    return e


def _map_tie_break(tie_break: Any, ids: Ids, where: str) -> Any:
    if tie_break is None:
        return None
    t = dict(as_dict(tie_break, where))
    if "groups" in t:
        t["groups"] = [ids.ideas(g, where) for g in as_list(t["groups"], where)]
    if "order" in t:
        t["order"] = ids.ideas(t["order"], where)
    if t.get("previous") is not None:
        t["previous"] = _map_tie_break(t["previous"], ids, where)
    return t


def _map_result(result: Any, ids: Ids, where: str) -> dict:
    """A ``voting.Result.to_dict()`` (or a stored snapshot built on one) with references translated."""
    d = dict(as_dict(result, where))
    if "standings" in d:
        d["standings"] = [
            {**as_dict(s, where), "option": ids.idea(as_dict(s, where).get("option"), where),
             "extra": _map_extra(as_dict(s, where).get("extra"), ids, where)}
            for s in as_list(d["standings"], where)
        ]
    if "explanation" in d:
        d["explanation"] = _map_explanation(d.get("method"), d["explanation"], ids, where)
    if d.get("tie_break") is not None:
        d["tie_break"] = _map_tie_break(d["tie_break"], ids, where)
    return d


def map_snapshot(data: Any, ids: Ids, where: str) -> dict:
    d = _map_result(data, ids, where)
    if "titles" in d:
        d["titles"] = ids.keyed(d["titles"], where)
    if "settings" in d:
        d["settings"] = map_settings(d["settings"], ids, where)
    if d.get("breakdown") is not None:
        b = dict(as_dict(d["breakdown"], where))
        if b.get("by_sector") is not None:
            by = dict(as_dict(b["by_sector"], where))
            by["sectors"] = {
                sector: (_map_result(cell, ids, where) if isinstance(cell, dict) and "standings" in cell else cell)
                for sector, cell in as_dict(by.get("sectors"), where).items()
            }
            b["by_sector"] = by
        if "consensus" in b:
            b["consensus"] = ids.keyed(b["consensus"], where)
        d["breakdown"] = b
    if d.get("comparison") is not None:
        d["comparison"] = {m: _map_places(order, ids, where) for m, order in as_dict(d["comparison"], where).items()}
    return d


def _map_places(order: Any, ids: Ids, where: str) -> list:
    """A comparison's order: places ``{"option", "rank", "tied"}``, or (in files written before
    places were kept) bare idea references, best first. Either is translated as it is."""
    out = []
    for entry in as_list(order, where):
        if isinstance(entry, dict):
            option = ids.idea(entry.get("option"), where)
            if option is not None:
                out.append({**entry, "option": option})
        else:
            option = ids.idea(entry, where)
            if option is not None:
                out.append(option)
    return out
