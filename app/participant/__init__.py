"""Participants' pages: join with the code, then the phone page."""
from flask import Blueprint

bp = Blueprint("participant", __name__, url_prefix="/w")

from app.participant import routes  # noqa: E402,F401
