"""The browser's texts and the ``js`` catalogs agree (app/static/js, app/translations/*/js.po).

Every message a module passes to ``gettext`` / ``ngettext`` must be extractable by pybabel (a
plain string literal, not a template literal or a concatenation), and present and translated
in the bokmål and nynorsk catalogs; no module may keep a dictionary of its own keyed by
language, or look at the page's language to choose a text.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
JS = ROOT / "app" / "static" / "js"
TRANSLATIONS = ROOT / "app" / "translations"
#: The helper that defines gettext and ngettext: the only module allowed to know the locale.
HELPER = JS / "i18n.js"
KEYWORDS = {"gettext": None, "ngettext": (1, 2)}
TRANSLATED = ("nb", "nn")

# A call of gettext or ngettext (not ``.gettext`` of another object, not a definition).
CALL = re.compile(r"(?<![\w.$])(n?gettext)\(\s*")
# What a msgid argument may be: one plain string literal, followed by ``,`` or ``)``.
LITERAL = re.compile(r"""('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\s*([,)])""")
# Dictionaries keyed by language, and choices made on the page's language.
LANGUAGE_TABLE = [
    re.compile(r"(?<![\w.$])['\"]?(?:nb|nn)['\"]?\s*:"),
    re.compile(r"(?<![\w.$])['\"]?en['\"]?\s*:\s*[{(\['\"`]"),
    re.compile(r"\blang\w*\s*[!=]==?"),
    re.compile(r"[!=]==?\s*['\"](?:nb|nn|en)['\"]"),
    re.compile(r"\[\s*['\"]?(?:nb|nn|en)['\"]?\s*\]"),
    re.compile(r"\[[^\]]*\blang\w*\s*\]"),
    re.compile(r"dataset\.lang\b"),
]
# The spellings the dictionaries reject (ideer, ideen).
WRONG_SPELLINGS = re.compile(r"\bidé(?:er|en|ene)\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(([a-z_][a-z0-9_]*)\)[sd]")


def _modules() -> list[Path]:
    return sorted(path for path in JS.rglob("*.js") if path != HELPER)


def _code(path: Path) -> str:
    """The module's text without its comments (a comment may name gettext without calling it)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def _extracted(path: Path) -> list[str | tuple[str, str]]:
    """The msgids pybabel's JavaScript extractor finds in ``path`` (as ``scripts/i18n.sh`` runs it)."""
    return [message for _line, message, _comments, _context in extract_from_file("javascript", str(path), keywords=KEYWORDS)]


def _calls(source: str) -> list[tuple[int, str]]:
    """Each gettext/ngettext call as (offset, the text from its first argument on)."""
    return [(m.start(), source[m.end():m.end() + 400]) for m in CALL.finditer(source)]


def _bad_arguments(source: str) -> list[str]:
    """The calls whose msgid is not one plain string literal (a template literal, a variable,
    a concatenation), as ``line N: …`` for the failure message."""
    bad = []
    for offset, rest in _calls(source):
        m = LITERAL.match(rest)
        ok = m is not None
        if ok and m.group(0).endswith(",") and source[offset:offset + 8].startswith("ngettext"):
            # ngettext's plural is a msgid too.
            ok = LITERAL.match(rest[m.end():].lstrip()) is not None
        if not ok:
            line = source.count("\n", 0, offset) + 1
            bad.append(f"line {line}: {rest.splitlines()[0][:80]}")
    return bad


def _language_tables(source: str) -> list[str]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        if any(pattern.search(line) for pattern in LANGUAGE_TABLE):
            found.append(f"line {number}: {line.strip()[:100]}")
    return found


def _catalog(lang: str):
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "js.po").open("rb") as po:
        return read_po(po, locale=lang, domain="js")


def _all_msgids() -> set[str]:
    ids = set()
    for path in _modules():
        for message in _extracted(path):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


# --- the checks themselves catch what they are for -------------------------------------------

@pytest.mark.parametrize("snippet", [
    "gettext(`${n} dots left`)",
    "gettext('Saved' + ' ✓')",
    "gettext(label)",
    "ngettext('%(n)s dot', `${n} dots`, n)",
    "ngettext('%(n)s dot', '%(n)s ' + 'dots', n)",
])
def test_a_msgid_that_pybabel_cannot_read_is_found(snippet):
    assert _bad_arguments(snippet)


@pytest.mark.parametrize("snippet", [
    "gettext('Saved ✓')",
    "gettext('%(n)s of %(total)s', { n, total })",
    'gettext("time\'s up")',
    "ngettext('%(n)s dot', '%(n)s dots', n, { budget })",
    "ngettext(\n  '%(n)s dot',\n  '%(n)s dots', n)",
])
def test_a_plain_msgid_passes(snippet):
    assert _bad_arguments(snippet) == []


@pytest.mark.parametrize("snippet", [
    "const T = { en: { saved: 'Saved' }, nb: { saved: 'Lagret' } };",
    "const HELD_WHAT = { 'nb': { submit_idea: 'idéen din' } };",
    "const lang = root.dataset.lang === 'nb' ? 'nb' : 'en';",
    "const L = T[ctx.lang];",
    "return locale === 'nn' ? 'Lagra' : 'Saved';",
    "names = kind.methods['en'];",
])
def test_a_dictionary_keyed_by_language_is_found(snippet):
    assert _language_tables(snippet)


def test_ordinary_code_is_not_taken_for_a_language_table():
    assert _language_tables("const open = { en: 1 };\nconst x = { budget: 3, cap: 2 };\nh('p', {}, gettext('Now'))") == []


# --- the modules ---------------------------------------------------------------------------------

def test_the_modules_exist():
    names = {path.relative_to(JS).as_posix() for path in _modules()}
    assert {"phone.js", "display.js", "console.js", "live.js", "kinds/dot_vote.js", "kinds/vote.js"} <= names


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(JS).as_posix())
def test_every_call_passes_a_plain_string_that_pybabel_extracts(path):
    source = _code(path)
    assert _bad_arguments(source) == [], "gettext/ngettext need a plain string literal as msgid"
    # A call pybabel does not see (inside a template literal's ${…}, say) would never be translated.
    assert len(_extracted(path)) == len(_calls(source)), "some gettext calls are not extracted by pybabel"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(JS).as_posix())
def test_no_module_keeps_its_own_translations(path):
    assert _language_tables(_code(path)) == [], "use gettext/ngettext from i18n.js instead"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_of_the_modules_is_translated_in_the_catalog(lang):
    catalog = _catalog(lang)
    missing, untranslated = [], []
    for msgid in sorted(_all_msgids()):
        message = catalog.get(msgid)
        if message is None:
            missing.append(msgid)
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags or not all(forms):
            untranslated.append(msgid)
    assert missing == [], f"not in {lang}/js.po: run scripts/i18n.sh update"
    assert untranslated == [], f"without a translation in {lang}/js.po"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders_and_the_spelling(lang):
    wrong = []
    for message in _catalog(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for form in forms:
            if form and (set(PLACEHOLDER.findall(form)) - wanted or WRONG_SPELLINGS.search(form)):
                wrong.append((ids[0], form))
        # The plural form of a message says the number it is chosen for.
        if isinstance(message.id, tuple) and "n" in PLACEHOLDER.findall(message.id[1]) and "%(n)s" not in forms[-1]:
            wrong.append((ids[0], forms[-1]))
    assert wrong == []


def test_the_catalogs_hold_no_messages_the_modules_no_longer_use():
    # scripts/i18n.sh update drops obsolete messages; a stale catalog means it was not run.
    used = _all_msgids()
    stale = [m.id for m in _catalog("nn") if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in used]
    assert stale == []
