"""``flask`` commands: users, demo data."""
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


def register_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
