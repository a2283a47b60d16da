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


# --- nothing outside app/rounds/ branches on a round kind's name -----------------------------

#: Names that hold a round kind's name (``round_.kind``, ``kind``, ``rnd["kind"]``, ``kind.name``).
KIND_WORDS = {"kind", "kind_name", "round_kind"}


def _kind_names() -> set[str]:
    from app.rounds import KINDS

    return set(KINDS)


def _kind_like(node: ast.AST) -> bool:
    """Whether ``node`` reads a round kind's name."""
    if isinstance(node, ast.Name):
        return node.id in KIND_WORDS
    if isinstance(node, ast.Attribute):
        if node.attr in KIND_WORDS:
            return True
        called = node.value.func if isinstance(node.value, ast.Call) else None
        return node.attr == "name" and (
            _kind_like(node.value) or getattr(called, "id", getattr(called, "attr", None)) == "kind_of")
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value in KIND_WORDS
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        return isinstance(node.args[0], ast.Constant) and node.args[0].value in KIND_WORDS
    return False


def _named(node: ast.AST, names: set[str]) -> set[str]:
    """The kind names ``node`` holds as string constants (itself, or the items of a literal collection)."""
    items = node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [node]
    return {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)} & names


def kind_branches(source: str, names: set[str]) -> list[tuple[int, str]]:
    """Where ``source`` branches on a round kind's name: ``(line, what)``.

    A comparison (``==``, ``!=``, ``in``, ``not in``) or a ``match`` of something kind-like
    against a kind's name; a lookup ``KINDS["rank"]``; a dict literal whose keys are all kind
    names (two or more). A method name that equals a kind's ("points", "score") compared with a
    method is not kind-like, so the counting code is not caught.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for a, b in zip(sides, sides[1:]):
                if (_kind_like(a) and _named(b, names)) or (_kind_like(b) and _named(a, names)):
                    found.append((node.lineno, "comparison"))
        elif isinstance(node, ast.Match) and _kind_like(node.subject):
            found += [(c.pattern.lineno, "match") for c in node.cases for p in ast.walk(c.pattern)
                      if isinstance(p, ast.MatchValue) and _named(p.value, names)]
        elif isinstance(node, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None for k in node.keys]
            if len(keys) >= 2 and all(k in names for k in keys):
                found.append((node.lineno, "dict keyed by kinds"))
        elif isinstance(node, ast.Subscript) and getattr(node.value, "id", getattr(node.value, "attr", None)) == "KINDS" \
                and _named(node.slice, names):
            found.append((node.lineno, "lookup"))
    return found


def test_the_kind_branch_check_finds_branches_and_only_those():
    names = {"rank", "points", "comment", "brainstorm"}
    branching = '''
if round_.kind == "rank": pass
if kind in ("comment", "other"): pass
if "brainstorm" != rnd["kind"]: pass
if rnd.get("kind") not in {"points"}: pass
if kind.name == "rank": pass
if kind_of(r).name == "comment": pass
x = KINDS["brainstorm"]
y = {"rank": 1, "comment": 2}[k]
match r.kind:
    case "points": pass
'''
    assert sorted(line for line, _ in kind_branches(branching, names)) == [2, 3, 4, 5, 6, 7, 8, 9, 11]
    calm = '''
if method in ("points", "dots"): pass
if method == "points": pass
row = {"rank": 1, "tied": False, "score": 2}
if job.kind == "export": pass
if q["kind"] == "scale": pass
x = standing["rank"]
r = add_round(w, kind="rank")
match method:
    case "points": pass
'''
    assert kind_branches(calm, names) == []


def test_nothing_outside_the_round_kinds_branches_on_a_kind_name():
    names = _kind_names()
    branching = {}
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP.parent).as_posix()
        if rel.startswith("app/rounds/"):
            continue
        found = kind_branches(path.read_text(encoding="utf-8"), names)
        if found:
            branching[rel] = found
    assert not branching, f"branches on a round kind's name (give the kind a method or attribute in app/rounds/): {branching}"


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
