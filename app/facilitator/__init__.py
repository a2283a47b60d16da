"""The facilitator's pages: workshops, the live console, rounds and downloads."""
from flask import Blueprint

bp = Blueprint("facilitator", __name__, url_prefix="/f")

from app.facilitator import day, downloads, routes  # noqa: E402,F401
