"""The writers on plain report data: structure of each format, language, escaping. No database."""
import io
import json
import re
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from app.exports import PARTS, ROUND_WRITERS, WORKSHOP_WRITERS, charts
from app.exports.document import build, plain_text
from app.exports.docx_writer import workshop_docx
from app.exports.labels import format_date, format_number, join_list, xml_safe
from app.exports.pdf_writer import ExportUnavailable, html, workshop_pdf
from app.exports.writers import workshop_json, workshop_markdown
from app.exports.xlsx_writer import workshop_xlsx
from tests.support.report_data import HOSTILE, docx_text, sample_report

#: The writers translate with the app's gettext catalogs: each test runs in an application context.
pytestmark = pytest.mark.usefixtures("ctx")


def docx_paragraphs(content: bytes):
    doc = Document(io.BytesIO(content))
    return doc, [(p.style.name, p.text) for p in doc.paragraphs]


def test_registries_name_every_format():
    assert set(WORKSHOP_WRITERS) == {"docx", "pdf", "pdfa", "xlsx", "json", "md"}
    assert set(ROUND_WRITERS) == {"csv", "json"}
    assert PARTS == {"xlsx": ("ballots",), "json": ("backup",)}


def test_dates_and_numbers_follow_the_language():
    assert format_date("2019-01-31", "nb") == "31. januar 2019"
    assert format_date("2019-01-31", "en") == "31 January 2019"
    assert format_date(None, "nb") == ""
    assert format_number(4.25, "nb") == "4,25" and format_number(4.0, "nb") == "4" and format_number(4.5, "en") == "4.5"
    assert join_list(["a", "b", "c"], "nb") == "a, b og c" and join_list(["a", "b"], "en") == "a and b"
    assert xml_safe("a\x00b\x1bc\td") == "abc\td"


def test_docx_has_title_page_toc_and_heading_styles():
    export = workshop_docx(sample_report("en"))
    assert export.extension == "docx" and export.mimetype.endswith("wordprocessingml.document")
    doc, paragraphs = docx_paragraphs(export.content)
    styles = {name for name, _ in paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3"} <= styles
    headings = [text for name, text in paragraphs if name == "Heading 1"]
    assert headings[0] == "1 Summary"
    assert "Appendix 1: Agenda" in headings and "Appendix 2: Participants" in headings
    assert ("Title", "Workshop on Shared data platform") in paragraphs
    assert ("Tavle Lead", "31 January 2019") in paragraphs
    # The table of contents written out: each entry links to its heading's bookmark and ends in
    # its page number (a PAGEREF field); no line tells the reader to update anything.
    xml = zipfile.ZipFile(io.BytesIO(export.content)).read("word/document.xml").decode()
    bookmarks = set(re.findall(r'w:bookmarkStart w:id="\d+" w:name="([^"]+)"', xml))
    links = re.findall(r'w:hyperlink w:anchor="([^"]+)"', xml)
    pagerefs = re.findall(r"PAGEREF (\S+) \\h", xml)
    assert links and links == pagerefs and set(links) <= bookmarks
    settings = zipfile.ZipFile(io.BytesIO(export.content)).read("word/settings.xml").decode()
    assert "updateFields" in settings
    toc = [text.rstrip("\t") for name, text in paragraphs if name in ("TOC 1", "TOC 2")]
    # The executive page's parts are level 3 (not in the contents); a round's sections are.
    assert toc[:2] == ["1 Summary", "2 Ideas"] and "3.2 Result" in toc
    assert not any("Update Field" in text or "right-click" in text for _, text in paragraphs)
    # Page numbers in the footer.
    footer = zipfile.ZipFile(io.BytesIO(export.content)).read("word/footer1.xml").decode()
    assert "PAGE" in footer and "NUMPAGES" in footer
    # A chart image for the vote.
    assert any(name.startswith("word/media/") for name in zipfile.ZipFile(io.BytesIO(export.content)).namelist())


def test_docx_sections_hold_rounds_worksheets_comments_survey_and_appendices():
    text = docx_text(workshop_docx(sample_report("en")).content)
    for expected in (
        "Each participant had 5 dots, at most 3 on one idea.",  # method card
        "4 of 5 participants voted (80%).",  # participation
        "2=",  # a shared place
        "= marks a shared place",
        "Challenge", "First steps – who contributes what?", "Do it.", "Then more.",  # worksheet
        "Shared data platform matters",  # starred comment
        "Mean 4, median 4 (3 answers).",  # survey
        "Welcome", "09:00–09:30",  # agenda
        "Org B", "1 other organisation", "Kari",  # participants (this workshop shows names)
    ):
        assert expected in text, expected
    assert "Not starred" not in text  # only starred comments are quoted


def test_docx_in_norwegian():
    doc, paragraphs = docx_paragraphs(workshop_docx(sample_report("nb")).content)
    headings = [text for name, text in paragraphs if name == "Heading 1"]
    assert headings[0] == "1 Sammendrag" and "Vedlegg 1: Program" in headings and "Vedlegg 2: Deltakerliste" in headings
    assert ("Tavle Lead", "31. januar 2019") in paragraphs
    assert ("Tavle Kicker", "Rapport fra workshop") in paragraphs


def test_names_only_where_the_workshop_shows_names():
    report = sample_report("en")
    blocks = build(report)
    assert any(b["type"] == "heading" and b["text"] == "Participants" for b in blocks)
    report["workshop"]["show_names"] = False
    blocks = build(report)
    assert not any(b["type"] == "heading" and b["text"] == "Participants" for b in blocks)


def test_pdf_html_is_escaped_and_renders():
    report = sample_report("en", titles=HOSTILE[:4] + ["<script>alert('x')</script>", "{{ 7*7 }}"])
    page = html(report)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "{{ 7*7 }}" in page  # text, never a template
    assert 'target-counter(attr(href), page)' in page  # page numbers in the table of contents
    export = workshop_pdf(report)
    assert export.content.startswith(b"%PDF-") and export.content.rstrip().endswith(b"%%EOF")
    assert export.mimetype == "application/pdf"


def test_pdf_without_weasyprint_says_so(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(ExportUnavailable) as exc:
        workshop_pdf(sample_report())
    assert "Pango" in str(exc.value) and "apt-get install" in str(exc.value)


def test_xlsx_sheets_and_formula_injection():
    report = sample_report("en", titles=HOSTILE[:6])
    export = workshop_xlsx(report)
    wb = load_workbook(io.BytesIO(export.content))
    assert wb.sheetnames[:3] == ["About", "Ideas", "Result 2 Dots"]
    assert {"Ballots", "Participants", "Survey", "Comments", "Worksheets", "Agenda"} <= set(wb.sheetnames)
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value in HOSTILE[:6]:
                    seen[cell.value] = cell
    # Every hostile title is kept exactly as typed, as text marked with a quote prefix.
    assert set(seen) == set(HOSTILE[:6])
    for value, cell in seen.items():
        assert cell.data_type == "s" and cell.quotePrefix, value
    ideas = wb["Ideas"]
    assert [c.value for c in ideas[1]][:4] == ["No.", "Round", "Idea", "Details"]
    assert ideas["C2"].value == HOSTILE[0]


def test_xlsx_ballots_have_voter_numbers_only():
    wb = load_workbook(io.BytesIO(workshop_xlsx(sample_report()).content))
    ballots = wb["Ballots"]
    assert [c.value for c in ballots[1]] == ["Round", "Voter", "Idea no.", "Idea", "Value", "Note"]
    assert [c.value for c in ballots[2]] == ["Dots", 1, 1, "Shared data platform", 3, None]
    header = [c.value for c in wb["Participants"][1]]
    assert header == ["Name", "Organisation", "Sector", "Group"]
    survey = wb["Survey"]
    assert [c.value for c in survey[2]] == ["Evaluation", 1, "Useful?", 5]


def test_markdown_has_agenda_worksheets_starred_comments_and_survey():
    md = workshop_markdown(sample_report("en")).content.decode()
    assert md.startswith("# Workshop on Shared data platform")
    assert "Date: 31 January 2019" in md and "Organised by: Org A, Org B" in md
    assert "| 09:00 | Welcome | Org A |" in md
    assert "### Shared data platform" in md and "**Challenge**" in md and "Do it." in md
    assert "> Shared data platform matters" in md and "Not starred" not in md
    assert "## Survey: Evaluation" in md and "| 5 | 1 | 33% |" in md
    assert "| 2= | Pre-competitive arena | 4 |" in md


def test_markdown_neutralises_markup():
    md = workshop_markdown(sample_report("en", titles=HOSTILE)).content.decode()
    assert "<script>" not in md and "\\<script\\>alert('x')\\</script\\>" in md
    assert "[link](http" not in md and "\\*bold\\* \\| pipe \\[link\\](http://x) # heading" in md
    assert "{{ config.SECRET_KEY }} {% raw %}" in md  # nothing there changes the rendering


def test_json_writer_is_the_backup():
    export = workshop_json(sample_report())
    assert json.loads(export.content) == {"format": "tavle-workshop", "version": 1, "workshop": {"title": "Shared data platform"}}


def test_charts_png_and_svg():
    spec = {"labels": ["1 A $x^2$ " + "long " * 30, "2= 😀", "2= שלום"], "values": [3, 1.5, 1.5], "tied": [False, True, True]}
    png = charts.render(spec, "png")
    svg = charts.render(spec, "svg")
    assert png.startswith(b"\x89PNG") and b"<svg" in svg
    assert charts.render(spec, "svg") == svg  # the same chart gives the same file


def test_plain_text_of_blocks_covers_the_report():
    text = plain_text(build(sample_report("en")))
    assert "Recommended ideas" in text and "Shared data platform" in text and "Appendix 2: Participants" in text


# --- attribution, participation by group, the demo notice ---------------------------------------
def test_one_from_column_holds_where_ideas_and_comments_came_from():
    wb = load_workbook(io.BytesIO(workshop_xlsx(sample_report("en")).content))
    ideas = wb["Ideas"]
    header = [c.value for c in ideas[1]]
    assert header == ["No.", "Round", "Idea", "Details", "Theme", "From", "Hidden", "Merged into no."]
    assert ideas["F2"].value == "Group 1"
    comments = wb["Comments"]
    assert [c.value for c in comments[1]] == ["Round", "Item", "Text", "Starred", "From"]
    assert [c.value for c in wb["Organisations"][1]] == ["Organisation", "Sector", "Participants"]
    assert [[c.value for c in row] for row in wb["Organisations"].iter_rows(min_row=2)] == [
        ["Org B", "Research", 4], ["1 other organisation", "Industry", 1]]
    # The one-person organisation is named only where the organisers typed it (the agenda's speaker).
    every = [c.value for ws in wb.worksheets if ws.title != "Agenda" for row in ws.iter_rows() for c in row]
    assert "Org A" not in every
    text = plain_text(build(sample_report("en")))
    assert "Group / organisation" not in text and "No. | Idea | Theme | From" in text
    assert "An organisation is named only where it had at least 3 participants; the others are counted by sector." in text


def test_the_participants_sheet_lists_people_only_where_names_are_shown():
    report = sample_report("en")
    report["workshop"]["show_names"] = False
    for p in report["participants"]:
        p["name"] = None
    wb = load_workbook(io.BytesIO(workshop_xlsx(report).content))
    assert "Participants" not in wb.sheetnames and "Organisations" in wb.sheetnames


def test_ideas_and_comments_sent_per_group_are_counted_by_group():
    report = sample_report("en")
    brainstorm, comments = report["rounds"][0], report["rounds"][2]
    brainstorm["participation"].update(groups=9, groups_with_ideas=8, phones=8)
    comments["participation"].update(groups=9, groups_with_comments=3, phones=0, without_author=4)
    text = plain_text(build(report))
    assert "Ideas were registered from 8 of 9 groups, on 8 phones." in text
    assert "Comments were registered from 3 of 9 groups." in text
    assert "participants sent ideas" not in text and "participants commented" not in text
    # Many phones in few groups: each typed their own, and the share of participants is honest.
    brainstorm["participation"].update(groups_with_ideas=2, phones=5)
    assert "3 of 5 participants sent ideas (60%)." in plain_text(build(report))
    nb = sample_report("nb")
    nb["rounds"][0]["participation"].update(groups=9, groups_with_ideas=8, phones=1)
    assert "Ideene ble registrert fra 8 av 9 grupper, på 1 telefon." in plain_text(build(nb))


def test_a_demo_says_so_first_in_markdown_and_the_workbook():
    report = sample_report("en")
    notice = "Demo data: generated for trying Tavle, not from a real workshop; its figures are generated."
    report["workshop"].update(is_demo=True, demo_notice=notice)
    md = workshop_markdown(report).content.decode()
    assert md.splitlines()[0] == "*Demo data: generated for trying Tavle, not from a real workshop; its figures are generated.*"
    about = load_workbook(io.BytesIO(workshop_xlsx(report).content))["About"]
    assert about["A2"].value == notice and about["A1"].value == report["workshop"]["title"]
    plain = sample_report("en")
    assert workshop_markdown(plain).content.decode().startswith("# Workshop on")
    assert load_workbook(io.BytesIO(workshop_xlsx(plain).content))["About"]["A2"].value is None
