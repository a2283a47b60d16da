"""The facilitator's pages: workshops, the live console, rounds and downloads."""
from __future__ import annotations

import functools
from typing import Any, Callable

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("facilitator", __name__, url_prefix="/f")


def managed(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page of one workshop: the view gets the workshop named by the ``code`` URL argument
    instead of the code, once the logged-in user is known to facilitate it.

    An unknown code answers 404 (``unknown_code``), someone else's workshop 403
    (``not_facilitator``), as ``workshops.managed_by`` says.
    """

    @functools.wraps(view)
    def with_workshop(code: str, **kwargs: Any) -> Any:
        from app.services import workshops

        return view(workshops.managed_by(current_user, code), **kwargs)

    return with_workshop


from app.facilitator import day, downloads, report, routes  # noqa: E402,F401
