"""Login, logout and the one-time setup page."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app import transaction
from app.auth import bp
from app.auth.forms import AccountForm, LoginForm
from app.errors import DomainError
from app.extensions import limiter
from app.services import accounts


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a link log someone in and send them elsewhere.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("facilitator.workshops")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def login():
    """Facilitator login."""
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.workshops"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("Wrong e-mail or password.")
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Log out."""
    logout_user()
    flash("You are logged out.")
    return redirect(url_for("main.index"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the first facilitator account from the link printed at first start."""
    accounts.check_setup_token(token)
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = transaction.run(lambda: accounts.create_user(form.email.data, form.name.data, form.password.data))
        except DomainError as exc:
            form.email.errors.append(exc.message)
        else:
            login_user(user)
            flash("Your account is ready.")
            return redirect(url_for("facilitator.workshops"))
    return render_template("auth/setup.html", form=form), 400 if form.errors else 200
