"""Login, logout, the account page and the one-time setup page."""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import i18n, transaction
from app.auth import bp
from app.auth.forms import AccountForm, LoginForm, PasswordForm
from app.errors import DomainError
from app.extensions import limiter
from app.realtime import broadcast
from app.services import accounts


def _browser_reading(target: str) -> str | None:
    """``target`` as a browser may end up reading it: percent-decoded until it stops changing,
    without the tabs, newlines and spaces it drops, with backslashes read as slashes."""
    for _ in range(5):
        decoded = unquote(target)
        if decoded == target:
            break
        target = decoded
    else:
        return None  # still changing after five rounds of decoding: nothing a link of ours looks like
    return "".join(ch for ch in target if ch.isprintable() and not ch.isspace()).replace("\\", "/")


def _safe_next(target: str | None) -> str:
    # Only paths on this site: an open redirect would let a link log someone in and send them elsewhere.
    fallback = url_for("facilitator.workshops")
    if not target or any(not ch.isprintable() or ch.isspace() or ch == "\\" for ch in target):
        return fallback
    seen = _browser_reading(target)
    if seen is None:
        return fallback
    parts = urlsplit(seen)
    if parts.scheme or parts.netloc or not seen.startswith("/") or seen.startswith("//"):
        return fallback
    return target


def _keep_language(user) -> None:
    # A facilitator's language is first the one their browser asks for (or the switch chose
    # before they logged in), kept on the account from their first login.
    if user.language is None:
        chosen = i18n.current()
        transaction.run(lambda: accounts.set_language(user, chosen))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute", methods=["POST"])
def login():
    """Facilitator login."""
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.workshops"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except DomainError as exc:
            form.password.errors.append(exc.message)
        else:
            if user is not None:
                _keep_language(user)
                login_user(user, remember=form.remember.data)
                return redirect(_safe_next(request.args.get("next")))
            form.password.errors.append(_("Wrong e-mail or password."))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Log out on every device: this account's sessions and remember-me cookies end on the server."""
    user = current_user._get_current_object()
    transaction.run(lambda: accounts.end_sessions(user))
    logout_user()
    broadcast.facilitator_signed_out(user.id)
    flash(_("You are logged out."))
    return redirect(url_for("main.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The logged-in facilitator's account: change the password (which logs out every other device)."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            transaction.run(lambda: accounts.change_password(user, form.current.data, form.password.data))
        except DomainError as exc:
            (form.current if exc.code == "wrong_password" else form.password).errors.append(exc.message)
        else:
            broadcast.facilitator_signed_out(user.id)
            # This browser stays logged in, under the new session version.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash(_("Your password is changed. You are logged out on every other device."))
            return redirect(url_for(".account"))
    return render_template("auth/account.html", form=form), 400 if form.errors else 200


@bp.post("/language")
def language():
    """The language switch in the top bar: stored on the account when logged in, else in a
    cookie; then back to the page it was used on."""
    chosen = request.form.get("language", "")
    back = redirect(_safe_next(request.form.get("next")) if request.form.get("next") else url_for("main.index"))
    if chosen not in i18n.LANGUAGES:
        return back
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        transaction.run(lambda: accounts.set_language(user, chosen))
    back.set_cookie(i18n.COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                    secure=request.is_secure)
    return back


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
            _keep_language(user)
            login_user(user)
            flash(_("Your account is ready."))
            return redirect(url_for("facilitator.workshops"))
    return render_template("auth/setup.html", form=form), 400 if form.errors else 200
