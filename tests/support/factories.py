"""Factories for tests: live objects made through the services, and operation ids.

``Factory`` works in the test's own application context (the ``make`` fixture pushes one):
each call is one committed use case, as a request would make it, and returns the live
object, so a test goes on using it (``w.code``, ``round_.state``) in the same context.
"""
from __future__ import annotations

import itertools
from typing import Any, Iterable, Sequence


class OpIds:
    """Unique operation ids, as a phone makes one per submission: ``op_id()``."""

    def __init__(self, prefix: str = "test-op") -> None:
        self._prefix = prefix
        self._numbers = itertools.count(1)

    def __call__(self) -> str:
        return f"{self._prefix}-{next(self._numbers):06d}"


class Factory:
    """Workshops, participants, rounds, ideas and votes for service and socket tests."""

    def __init__(self, op_id: OpIds) -> None:
        self.op_id = op_id

    def workshop(self, title: str = "W", *, owner: Any = None, **kwargs: Any):
        """A workshop (``kwargs`` as ``workshops.create_workshop`` takes them)."""
        from app import transaction
        from app.services import workshops

        return transaction.run(lambda: workshops.create_workshop(owner, title=title, **kwargs))

    def participant(self, workshop, name: str = "Kari", **kwargs: Any):
        """One participant who joined ``workshop`` (``organisation``, ``sector``, ``anonymous``)."""
        from app import transaction
        from app.services import participants

        return transaction.run(lambda: participants.join(workshop, name=name, **kwargs))

    def participants(self, workshop, count: int, *, sectors: Sequence[str] | None = None, name: str = "P{}"):
        """``count`` participants named P0, P1 … with ``sectors[i]`` each (when given)."""
        from app import transaction
        from app.services import participants

        def join_all():
            return [participants.join(workshop, name=name.format(i), **({"sector": sectors[i]} if sectors else {}))
                    for i in range(count)]

        return transaction.run(join_all)

    def round(self, workshop, kind: str, title: str | None = None, *, open_: bool = False, source: Any = None,
              **settings: Any):
        """A round of ``kind`` (``source``: the round it takes its ideas from), opened if ``open_``."""
        from app import transaction
        from app.services import rounds

        if source is not None:
            settings["source_round_id"] = source.id

        def add():
            round_ = rounds.add_round(workshop, kind=kind, title=title or kind, settings=settings)
            if open_:
                rounds.open_round(round_)
            return round_

        return transaction.run(add)

    def ideas(self, round_, authors: Sequence[Any], titles: Iterable[str]):
        """One idea per title in ``round_``, by ``authors`` in turn."""
        from app import transaction
        from app.services import ideas

        def submit():
            return [ideas.submit_idea(authors[i % len(authors)], round_, op_id=self.op_id(), title=t).idea
                    for i, t in enumerate(titles)]

        return transaction.run(submit)

    def vote(self, participant, round_, action: str = "cast_dots", **payload: Any):
        """One committed ballot change with a fresh operation id (``payload`` as the phone sends it)."""
        from app import transaction
        from app.services import ballots

        op = self.op_id()
        return transaction.run(lambda: ballots.cast(participant, round_, op_id=op, payload=payload, action=action))

    def dots(self, participant, round_, idea, count: int):
        """Put ``count`` dots on ``idea`` in a dot vote."""
        return self.vote(participant, round_, "cast_dots", idea_id=idea.id, count=count)
