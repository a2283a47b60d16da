"""Writers report how far they got through a plain ``progress(done, total, label)`` callable."""
import pytest

from app.exports import PARTS, WORKSHOP_WRITERS
from app.exports.document import build
from tests.support.report_data import check_valid, sample_report

#: The writers translate with the app's gettext catalogs: each test runs in an application context.
pytestmark = pytest.mark.usefixtures("ctx")


@pytest.mark.parametrize("fmt, label", [("docx", "sections"), ("pdf", "sections"), ("xlsx", "sheets"),
                                        ("json", "steps"), ("md", "steps")])
def test_progress_counts_up_to_the_end(fmt, label):
    report = sample_report("en")
    if "backup" in PARTS.get(fmt, ()):
        report["backup"] = {"format": "tavle-workshop", "version": 1}
    calls = []
    export = WORKSHOP_WRITERS[fmt](report, progress=lambda done, total, text: calls.append((done, total, text)))
    check_valid(fmt, export.content)
    assert calls and all(text == label for _, _, text in calls)
    done = [d for d, _, _ in calls]
    assert done == sorted(done) and all(0 <= d <= t for d, t, _ in calls)
    assert calls[-1][0] == calls[-1][1]  # the last call says it is complete
    if fmt in ("docx", "pdf"):
        chapters = sum(1 for b in build(report) if b["type"] == "heading" and b["level"] == 1)
        assert calls[-1][1] == chapters + 1  # one step per chapter, one for the file
        assert len({d for d, _, _ in calls}) >= chapters  # it moved through them, not 0 then done
