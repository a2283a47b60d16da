"""The layering rules of the code base, checked on its source."""
import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_exports_writers_are_pure():
    for path in (APP / "exports").glob("*.py"):
        bad = {m for m in imported_modules(path) if m.split(".")[0] in {"flask", "flask_socketio", "sqlalchemy", "flask_sqlalchemy"} or m.startswith("app.models")}
        assert not bad, f"{path.name} imports {bad}"


def test_services_never_commit_or_emit():
    for path in (APP / "services").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".commit(" not in source, f"{path.relative_to(APP)} commits: the caller does (app/transaction.py)"
        assert "socketio" not in source and ".emit(" not in source, f"{path.relative_to(APP)} emits: publish after commit in app/realtime/broadcast.py"


def test_no_inline_scripts_or_inner_html():
    for path in (APP / "templates").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for chunk in html.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head, f"inline script in {path.name}"
    for path in (APP / "static" / "js").glob("*.js"):
        assert "innerHTML" not in path.read_text(encoding="utf-8"), f"{path.name} uses innerHTML"


def test_migrations_match_the_models(app):
    """``flask db upgrade`` builds exactly the schema the models describe (nothing left to autogenerate)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.extensions import db
    from app.models import Base

    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
