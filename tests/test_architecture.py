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


# --- every refusal a person reads is translated where it is read ----------------------------

#: Calls whose result is a message translated when it is read (or marked to be, for a table).
TRANSLATED = {"_l", "lazy_gettext", "lazy_ngettext", "N_", "Nn_"}
#: Receivers whose ``.error(...)`` is a log line, not a refusal.
LOGGERS = {"log", "logger", "logging"}


def _callee(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _params(func: ast.FunctionDef) -> list[str]:
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


class Sources:
    """The modules of a package, with what each binds to a name and which names it imports."""

    def __init__(self, sources: dict[str, str]) -> None:
        #: dotted module name -> its tree
        self.trees = {name: ast.parse(source) for name, source in sources.items()}
        self.bindings: dict[str, dict[str, list[ast.expr]]] = {}
        self.imports: dict[str, dict[str, tuple[str, str | None]]] = {}
        for name, tree in self.trees.items():
            bound: dict[str, list[ast.expr]] = {}
            imported: dict[str, tuple[str, str | None]] = {}
            for node in ast.walk(tree):
                if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name):
                            bound.setdefault(target.id, []).append(node.value)
                elif isinstance(node, ast.ImportFrom) and node.module:
                    for alias in node.names:
                        local = alias.asname or alias.name
                        submodule = f"{node.module}.{alias.name}"
                        imported[local] = (submodule, None) if submodule in self.trees else (node.module, alias.name)
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.asname:
                            imported[alias.asname] = (alias.name, None)
            self.bindings[name], self.imports[name] = bound, imported

    def error_classes(self) -> dict[str, int | None]:
        """``DomainError`` and its subclasses, with the position of the message among their arguments."""
        classes: dict[str, int | None] = {"DomainError": 1}
        defs = [node for tree in self.trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
        grown = True
        while grown:
            grown = False
            for node in defs:
                bases = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", None) for b in node.bases]
                parent = next((b for b in bases if b in classes), None)
                if node.name in classes or parent is None:
                    continue
                init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
                params = _params(init) if init else None
                classes[node.name] = classes[parent] if init is None else (
                    params.index("message") if "message" in params else None)
                grown = True
        return classes

    def forwarders(self, classes: dict[str, int | None]) -> dict[str, tuple[int | None, bool]]:
        """Functions that pass their ``message`` parameter on as a refusal's message (``whole_number``,
        ``Ids.error``): name -> (position of ``message``, None if it is keyword-only; whether the
        name is unique in the package, so a call that passes it by position can be told apart)."""
        functions = [node for tree in self.trees.values() for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
        count: dict[str, int] = {}
        for f in functions:
            count[f.name] = count.get(f.name, 0) + 1
        found = {}
        for f in functions:
            params = _params(f)
            if f.name == "__init__" or "message" not in params + [a.arg for a in f.args.kwonlyargs]:
                continue
            for call in (n for n in ast.walk(f) if isinstance(n, ast.Call) and _callee(n) in classes):
                given = self._message_of(call, classes[_callee(call)])
                if given is not None and any(isinstance(n, ast.Name) and n.id == "message" for n in ast.walk(given)):
                    found[f.name] = (params.index("message") if "message" in params else None, count[f.name] == 1)
        return found

    @staticmethod
    def _message_of(call: ast.Call, index: int | None) -> ast.expr | None:
        if index is not None and len(call.args) > index and not isinstance(call.args[index], ast.Starred):
            return call.args[index]
        return next((k.value for k in call.keywords if k.arg == "message"), None)

    def why_untranslated(self, module: str, node: ast.expr, seen: frozenset = frozenset()) -> str | None:
        """Why ``node``, given as a message in ``module``, is not translated where it is read (None if it is)."""
        if isinstance(node, ast.Constant):
            return "a plain string" if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            return "an f-string"
        if isinstance(node, ast.BinOp):
            return "% formatting" if isinstance(node.op, ast.Mod) else "text put together"
        if isinstance(node, ast.IfExp):
            return self.why_untranslated(module, node.body, seen) or self.why_untranslated(module, node.orelse, seen)
        if isinstance(node, ast.BoolOp):
            return next((w for w in (self.why_untranslated(module, v, seen) for v in node.values) if w), None)
        if isinstance(node, ast.Call):
            name = _callee(node)
            if name in TRANSLATED:
                return None
            return ".format()" if name == "format" else f"a call to {name}()"
        if isinstance(node, ast.Name):
            return self._why_name(module, node.id, seen)
        if isinstance(node, ast.Attribute):
            # ``participants.SIGNED_OUT_MESSAGE``: the constant where it is defined; ``exc.message``
            # (a refusal passed on as it is) cannot be followed and passes.
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            target = self.imports.get(module, {}).get(owner) if owner else None
            if target and target[1] is None and target[0] in self.trees:
                return self._why_name(target[0], node.attr, seen)
            return None
        return f"a {type(node).__name__.lower()} expression"

    def _why_name(self, module: str, name: str, seen: frozenset) -> str | None:
        if (module, name) in seen:
            return None
        seen = seen | {(module, name)}
        values = self.bindings.get(module, {}).get(name)
        if values:
            return next((w for w in (self.why_untranslated(module, v, seen) for v in values) if w), None)
        target = self.imports.get(module, {}).get(name)
        if target and target[1] is not None and target[0] in self.trees:
            return self._why_name(target[0], target[1], seen)
        return None  # a parameter: its callers are checked where it is a forwarder's

    def untranslated(self) -> list[tuple[str, int, str]]:
        """Every refusal made with a message that is not translated where it is read: (module, line, why)."""
        classes = self.error_classes()
        forwarders = self.forwarders(classes)
        found = []
        for module, tree in self.trees.items():
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                name = _callee(call)
                receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
                if isinstance(receiver, ast.Name) and receiver.id in LOGGERS or getattr(receiver, "attr", None) == "logger":
                    continue
                if name in classes:
                    given = self._message_of(call, classes[name])
                elif name in forwarders:
                    index, unique = forwarders[name]
                    given = self._message_of(call, index if unique else None)
                else:
                    continue
                why = self.why_untranslated(module, given) if given is not None else None
                if why:
                    found.append((module, call.lineno, f"{name}(…) with {why}"))
        return found


def test_the_translation_check_finds_untranslated_refusals_and_only_those():
    sources = {
        "pkg.errors": "class DomainError(Exception):\n    def __init__(self, code, message, **details): pass\n"
                      "class Conflict(DomainError): pass\n",
        "pkg.limits": "from pkg.errors import DomainError\n"
                      "class RateLimited(DomainError):\n    def __init__(self, message, retry_after): pass\n",
        "pkg.texts": "from flask_babel import lazy_gettext as _l\nGONE = _l('Gone.')\nPLAIN = 'Plain.'\n",
        "pkg.numbers": "from pkg.errors import DomainError\nfrom flask_babel import lazy_gettext as _l\n"
                       "def whole(value, field, *, message=None):\n"
                       "    raise DomainError('bad', message or _l('Give %(f)s.', f=field))\n",
        "pkg.bad": '''
from pkg.errors import Conflict, DomainError
from pkg.limits import RateLimited
from pkg import texts
from pkg.texts import PLAIN
from pkg.numbers import whole
SHOUT = "Shout."
raise DomainError("a", "A plain string.")
raise Conflict("b", f"“{title}” is closed.")
raise DomainError("c", "{} left".format(n))
raise DomainError("d", "%s left" % n)
raise DomainError("e", "Give your name" + ".")
raise RateLimited(f"Wait {n} s.", n)
raise DomainError("f", SHOUT)
raise DomainError("g", texts.PLAIN)
raise DomainError("h", PLAIN)
raise DomainError(code="i", message=str(exc))
raise DomainError("j", _l("Fine.") if ok else "Not fine.")
whole(value, "the count", message=f"Give {n}.")
''',
        "pkg.good": '''
from flask_babel import lazy_gettext as _l
from pkg.errors import Conflict, DomainError
from pkg.limits import RateLimited
from pkg import texts
from pkg.numbers import whole
TABLE = {"x": N_("X.")}
raise DomainError("a", _l("Fine."))
raise Conflict("b", _l("“%(title)s” is closed.", title=title))
raise RateLimited(lazy_ngettext("%(num)s second", "%(num)s seconds", n), n)
raise DomainError("c", texts.GONE)
raise DomainError("d", exc.message)
raise DomainError("e", _l(TABLE[key], value=v))
raise DomainError("f", message or _l("Default."))
log.error("a log line %s", x)
whole(value, "the count", message=_l("Give a count."))
''',
    }
    found = Sources(sources).untranslated()
    assert {module for module, _line, _why in found} == {"pkg.bad"}, found
    bad = sorted(line for module, line, _why in found if module == "pkg.bad")
    assert bad == list(range(8, 20)), found
    whys = " | ".join(why for _m, _l, why in found)
    for words in ("a plain string", "an f-string", ".format()", "% formatting", "text put together", "a call to str()"):
        assert words in whys, (words, whys)


def test_every_refusal_is_translated_where_it_is_read():
    """Every ``DomainError`` (and subclass) under app/ gets a lazy message (``_l("…", name=value)``),
    or a name bound to one, so it is rendered in the reader's language at the edge that answers."""
    sources = {".".join(path.relative_to(APP.parent).with_suffix("").parts): path.read_text(encoding="utf-8")
               for path in sorted(APP.rglob("*.py"))}
    found: dict[str, list[str]] = {}
    for module, line, why in Sources(sources).untranslated():
        path = module.replace(".", "/") + ".py"
        found.setdefault(path, []).append(f"line {line}: {why}")
    assert not found, "refusals with untranslated messages (use _l(\"… %(name)s …\", name=value)):\n" + "\n".join(
        f"{path}: {'; '.join(lines)}" for path, lines in sorted(found.items()))
