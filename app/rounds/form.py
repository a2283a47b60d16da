"""How a kind's settings appear in the console's round form: each kind declares its own fields.

A kind lists ``SettingsBlock``s (``RoundKind.settings_form``): settings shown and hidden
together. The facilitator's ``RoundForm`` is built from every kind's blocks, and the console
template draws each block once, marked with the kinds that use it (``data-for-kinds``), so
adding a kind or a setting touches only the kind's own module.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from wtforms.fields.core import UnboundField


@dataclass(frozen=True, eq=False)
class Setting:
    """One setting as a field of the round form.

    ``field`` is an unbound WTForms field (``IntegerField("Label", ...)``) named ``name`` on the
    form, which is also the setting's key in ``Round.settings``. ``hint``, ``placeholder`` and
    ``rows`` are how the console draws it.
    """

    name: str
    field: UnboundField
    hint: str | None = None
    placeholder: str | None = None
    rows: int | None = None
    #: Shown only while this box of the form is ticked (such as ``per_group``).
    when_checked: str | None = None
    #: ``choices(workshop)``: choices that depend on the workshop, set on each form built for it.
    choices: Callable[[Any], list] | None = None
    #: ``read(data)``: the setting from the field's data, always sent. Without it the setting is
    #: sent only when filled in, so a blank field takes the kind's default.
    read: Callable[[Any], Any] | None = None

    def render_args(self) -> dict[str, Any]:
        """Keyword arguments of the template's ``field`` macro for this setting."""
        args = {"hint": self.hint, "placeholder": self.placeholder, "rows": self.rows}
        return {k: v for k, v in args.items() if v is not None}

    def value(self, data: Any) -> tuple[bool, Any]:
        """Whether the form sends this setting, and its value, given the field's ``data``."""
        if self.read is not None:
            return True, self.read(data)
        return data is not None and data != "", data


@dataclass(frozen=True, eq=False)
class SettingsBlock:
    """Settings shown and hidden together; ``position`` orders the blocks in the form."""

    settings: tuple[Setting, ...]
    position: int
    css_class: str = ""


def layout(kinds) -> list[tuple[SettingsBlock, str]]:
    """Every block of ``kinds`` (in registry order) once, in form order, with the space-separated
    names of the kinds that use it (the console shows a block only for those kinds).

    Raises ``ValueError`` if a setting's name comes twice (one field per name in the form).
    """
    users: dict[int, list[str]] = {}
    blocks: dict[int, SettingsBlock] = {}
    for kind in kinds:
        for block in kind.settings_form:
            blocks.setdefault(id(block), block)
            users.setdefault(id(block), []).append(kind.name)
    ordered = sorted(blocks.values(), key=lambda b: b.position)
    seen: set[str] = set()
    for block in ordered:
        for setting in block.settings:
            if setting.name in seen:
                raise ValueError(f"The round setting “{setting.name}” is declared twice.")
            seen.add(setting.name)
    return [(block, " ".join(users[id(block)])) for block in ordered]
