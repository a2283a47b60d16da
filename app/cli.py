"""``flask`` commands: users, demo data, workshop export and import."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from app import transaction
from app.errors import DomainError
from app.services import accounts

users = AppGroup("users", help="Facilitator accounts.")


@users.command("create")
@click.option("--email", prompt=True, help="Login e-mail.")
@click.option("--name", prompt=True, help="Name shown to colleagues.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters.")
def create_user(email: str, name: str, password: str) -> None:
    """Create a facilitator account."""
    try:
        user = transaction.run(lambda: accounts.create_user(email, name, password))
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Created facilitator {user.email}.")


def _account(email: str):
    try:
        return accounts.by_email(email)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None


@users.command("set-password")
@click.argument("email")
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True, help="At least 10 characters.")
def set_password(email: str, password: str) -> None:
    """Give facilitator EMAIL a new password; every login of theirs ends."""
    user = _account(email)
    try:
        transaction.run(lambda: accounts.set_password(user, password))
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    _close_consoles(user.id)
    click.echo(f"New password set for {user.email}; they are logged out everywhere.")


@users.command("disable")
@click.argument("email")
def disable_user(email: str) -> None:
    """Disable facilitator EMAIL: they cannot log in, and every login of theirs ends."""
    user = _account(email)
    transaction.run(lambda: accounts.set_active(user, False))
    _close_consoles(user.id)
    click.echo(f"Disabled {user.email}; they are logged out everywhere.")


@users.command("enable")
@click.argument("email")
def enable_user(email: str) -> None:
    """Enable facilitator EMAIL again (they log in with their password)."""
    user = _account(email)
    transaction.run(lambda: accounts.set_active(user, True))
    click.echo(f"Enabled {user.email}.")


def _close_consoles(user_id: int) -> None:
    # Reaches the servers' consoles through the message queue when one is configured; without
    # one, their next event is refused all the same (the session version changed).
    from app.realtime import broadcast

    broadcast.facilitator_signed_out(user_id)


@click.command("demo")
@with_appcontext
@click.option("--if-missing", is_flag=True, help="Do nothing if the demo workshop is already loaded.")
def demo(if_missing: bool) -> None:
    """Load the 2019 personalised-medicine workshop as a new, finished workshop."""
    from app.demo import existing_demo, load_demo

    if if_missing:
        found = existing_demo()
        if found is not None:
            click.echo(f"Demo workshop already loaded: code {found.code}.")
            return
    workshop = transaction.run(load_demo)
    click.echo(f"Loaded the demo workshop: code {workshop.code}")
    click.echo(f"  projector: /w/{workshop.code}/display   console: /f/{workshop.code}")


workshop_cli = AppGroup("workshop", help="Export a workshop (report, workbook, backup) or import a backup.")

#: File names the export command writes when no -o is given.
EXPORT_NAMES = {"docx": "report", "pdf": "report", "pdfa": "report-archive", "xlsx": "data", "json": "backup",
                "md": "summary"}


@workshop_cli.command("export")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_NAMES)), default="docx", show_default=True,
              help="docx/pdf: the report (pdfa: the PDF for archiving, PDF/A); xlsx: the workbook; json: the full "
                   "backup; md: a Markdown summary.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: CODE-report.docx and so on in the current folder; - for standard output).")
def export_workshop(code: str, fmt: str, output: str | None) -> None:
    """Export workshop CODE in one format."""
    from app.exports import PARTS, WORKSHOP_WRITERS, ExportUnavailable
    from app.services import reporting, workshops

    try:
        workshop = workshops.by_code(code)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    report = reporting.workshop_report(workshop, parts=PARTS.get(fmt, ()))
    try:
        export = WORKSHOP_WRITERS[fmt](report)
    except ExportUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    if output == "-":
        click.echo(export.content, nl=False)  # bytes go to the binary stream as they are
        return
    path = output or f"{workshop.code}-{EXPORT_NAMES[fmt]}.{export.extension}"
    with open(path, "wb") as fh:
        fh.write(export.content)
    click.echo(f"Wrote {path} ({len(export.content):,} bytes).")


@workshop_cli.command("import")
@click.argument("file", type=click.File("rb"))
@click.option("--owner", default=None, help="E-mail of the facilitator who owns the copy (default: the first account).")
def import_workshop(file, owner: str | None) -> None:
    """Create a workshop from a backup FILE (from `flask workshop export CODE --format json`)."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import User
    from app.services import backup

    if owner:
        user = db.session.scalar(select(User).where(func.lower(User.email) == owner.strip().lower()))
        if user is None:
            raise click.ClickException(f"There is no facilitator with the e-mail {owner}.")
    else:
        user = db.session.scalar(select(User).order_by(User.id))
    raw = file.read(backup.MAX_BYTES + 1)
    try:
        doc = backup.parse(raw)
        workshop = transaction.run(lambda: backup.restore(doc, user))
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Imported “{workshop.title}”: code {workshop.code}"
               + (f", owned by {user.email}." if user else " (no facilitator account yet: the first one takes it over)."))


jobs_cli = AppGroup("jobs", help="The job runner: worker processes for reports and imports.")


@jobs_cli.command("worker")
@click.option("--threads", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Jobs run at once by this process (Redis queue only; run more processes for more CPU).")
def jobs_worker(threads: int) -> None:
    """Run jobs until stopped: from the database (TAVLE_JOBS=local) or the Redis queue (TAVLE_JOBS=redis)."""
    from flask import current_app

    app = current_app._get_current_object()
    if app.config.get("TAVLE_JOBS") == "redis":
        from app.jobs import redis_queue

        redis_queue.run_worker(app, threads=threads)
    else:
        from app.jobs import local

        local.run_worker(app)


def register_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(workshop_cli)
    app.cli.add_command(jobs_cli)
