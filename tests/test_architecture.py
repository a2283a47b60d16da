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
    for path in (APP / "services").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".commit(" not in source, f"{path.name} commits: the caller does (app/transaction.py)"
        assert "socketio" not in source and ".emit(" not in source, f"{path.name} emits: publish after commit in app/realtime/broadcast.py"


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


def js_string_literals(source: str) -> list[str]:
    """The string literals of a JavaScript file ('…', "…" and `…` without ${}), comments skipped."""
    literals = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
        elif source.startswith("/*", i):
            i = source.find("*/", i + 2)
            i = n if i < 0 else i + 2
        elif c in "'\"`":
            j, text = i + 1, []
            while j < n and source[j] != c:
                if source[j] == "\\":
                    text.append(source[j:j + 2])
                    j += 2
                    continue
                text.append(source[j])
                j += 1
            literal = "".join(text)
            if c != "`" or "${" not in literal:
                literals.append(literal)
            i = j + 1
        else:
            i += 1
    return literals


def test_front_end_names_kinds_only_in_their_modules():
    """Only app/static/js/kinds/ knows the round kinds by name: the pages look them up in its registry."""
    from app.rounds import KINDS

    js = APP / "static" / "js"
    assert js_string_literals("const a = 'rank'; // 'score'\nh(`x ${y}`, \"dot_vote\");") == ["rank", "dot_vote"]
    for path in js.rglob("*.js"):
        if js / "kinds" in path.parents:
            continue
        named = sorted(set(js_string_literals(path.read_text(encoding="utf-8"))) & set(KINDS))
        assert not named, f"{path.relative_to(js)} names the kinds {named}: a kind's code belongs in kinds/"
    modules = {p.stem for p in (js / "kinds").glob("*.js")}
    assert set(KINDS) <= modules, f"no front-end module for {sorted(set(KINDS) - modules)}"
    registry = (js / "kinds" / "index.js").read_text(encoding="utf-8")
    for name in KINDS:
        assert f"from './{name}.js';" in registry, f"kinds/index.js does not import {name}"
    for path in (js / "kinds").glob("*.js"):
        assert "innerHTML" not in path.read_text(encoding="utf-8"), f"kinds/{path.name} uses innerHTML"
