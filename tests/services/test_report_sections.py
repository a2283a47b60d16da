"""Each round kind gives the report what the writers need of it: its name in every file language."""
from app import i18n
from app.rounds import KINDS


def test_every_kind_is_named_in_every_language_of_the_files(ctx):
    for name, kind in KINDS.items():
        assert kind.report_name is not None, name
        names = {}
        for lang in i18n.LANGUAGES:
            with i18n.in_language(lang):
                names[lang] = str(kind.report_name)
        assert all(names.values()), name
        # Translated: the Norwegian names are not the English msgid (a missing msgstr would be).
        assert names["nb"] != names["en"] and names["nn"] != names["en"], (name, names)


def test_a_note_label_is_a_text_of_the_files(ctx):
    for name, kind in KINDS.items():
        if kind.sheet_note_label is not None:
            for lang in i18n.LANGUAGES:
                with i18n.in_language(lang):
                    assert str(kind.sheet_note_label), (name, lang)
