"""Each round kind gives the report what the writers need of it: its name in every file language."""
from app.exports.labels import LABELS
from app.rounds import KINDS


def test_every_kind_is_named_in_every_language_of_the_files():
    for name, kind in KINDS.items():
        assert set(kind.report_names) == set(LABELS), name
        assert all(kind.report_names.values()), name


def test_a_note_label_is_a_text_of_the_files():
    for name, kind in KINDS.items():
        if kind.sheet_note_label is not None:
            assert all(kind.sheet_note_label in LABELS[lang] for lang in LABELS), name
