"""The projector view: read-only, reached with the join code."""
from flask import Blueprint, redirect, render_template, url_for

from app import i18n
from app.limits import code_lookup
from app.services import workshops
from app.templating import join_url, qr_svg

bp = Blueprint("display", __name__, url_prefix="/w")


@bp.get("/<code>/display")
@code_lookup
def show(code: str):
    """The projector page: join code and QR, the idea wall, live chart, final list."""
    workshop = workshops.by_code(code)
    i18n.use(workshop.language)
    if workshop.code != code:
        return redirect(url_for(".show", code=workshop.code))
    return render_template("display/display.html", workshop=workshop, qr=qr_svg(join_url(workshop.code), scale=10))
