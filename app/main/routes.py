"""Landing page, join by code, health check."""
from __future__ import annotations

from flask import jsonify, redirect, render_template, url_for
from sqlalchemy import text

from app.errors import DomainError
from app.extensions import db
from app.limits import code_lookup, mark_unknown_code
from app.main import bp
from app.main.forms import CodeForm
from app.services import workshops


@bp.get("/")
def index():
    """Landing page: type a code to join, or log in to facilitate."""
    return render_template("main/index.html", form=CodeForm())


@bp.post("/join")
@code_lookup
def join_by_code():
    """Go to the workshop whose code was typed."""
    form = CodeForm()
    if form.validate_on_submit():
        try:
            workshop = workshops.by_code(form.code.data)
            return redirect(url_for("participant.home", code=workshop.code))
        except DomainError as exc:
            if exc.code == "unknown_code":
                mark_unknown_code()
            form.code.errors.append(exc.message)
    return render_template("main/index.html", form=form), 400 if form.is_submitted() else 200


@bp.get("/healthz")
def healthz():
    """Liveness and database state, as JSON."""
    try:
        db.session.execute(text("SELECT 1"))
        database = {"ok": True, "dialect": db.engine.dialect.name}
        status = 200
    except Exception as exc:  # noqa: BLE001 - the point is to report it
        db.session.rollback()
        database = {"ok": False, "error": exc.__class__.__name__}
        status = 503
    return jsonify(ok=status == 200, database=database), status
