"""How the files print and open: a tagged PDF and its archive variant, numbered figures with alt
text, tables kept with their charts, the Word file's fields and properties, the workbook's
tables and formats, Norwegian CSV, and Markdown that reads as plain text."""
from __future__ import annotations

import copy
import csv
import io
import re
import zipfile
from datetime import datetime, timezone

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from app.exports import charts
from app.exports.document import build, default_outline
from app.exports.docx_writer import workshop_docx
from app.exports.pdf_writer import html, workshop_pdf, workshop_pdf_archive
from app.exports.writers import md_escape, round_csv, workshop_markdown
from app.exports.xlsx_writer import sheet_name, workshop_xlsx
from tests.support.pdf import POPPLER, pdf_objects, pdf_pages, pdf_tool
from tests.support.report_data import HOSTILE, sample_report

#: The writers translate with the app's gettext catalogs: each test runs in an application context.
pytestmark = pytest.mark.usefixtures("ctx")

needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdfinfo, pdftotext) is not installed; "
                                                      "scripts/test.sh installs it")
NOTICE = "Demo: made-up data from a sample workshop, not a real one."


def with_notice(report: dict) -> dict:
    report["workshop"]["demo_notice"] = NOTICE
    return report


def impact_effort_report(lang: str = "nb") -> dict:
    """The sample report with its vote counted as impact/effort on a 1–4 scale (one idea
    doing badly: a negative score)."""
    report = sample_report(lang)
    rnd = report["rounds"][1]
    rnd["settings"] = {"scale_min": 1, "scale_max": 4, "tie_break": "none"}
    result = rnd["result"]
    result.update(method="impact_effort", params={"scale_min": 1, "scale_max": 4})
    means = [(3.5, 1.5, "quick_win"), (3.5, 3.5, "major_project"), (3.5, 3.5, "major_project"), (1.2, 3.8, "thankless")]
    for standing, (impact, effort, quadrant) in zip(result["standings"], means):
        standing["score"] = round(impact - effort, 2)
        standing["extra"] = {"mean_impact": impact, "mean_effort": effort, "count": 2, "quadrant": quadrant}
    report["final"] = {**report["final"], "method": "impact_effort", "standings": result["standings"]}
    return report


# --- PDF: tagged by default, PDF/A as the archive variant ---------------------------------------
def test_the_pdf_is_tagged_with_its_language_and_metadata():
    content = workshop_pdf(sample_report("nn")).content
    body = pdf_objects(content)
    assert b"/StructTreeRoot" in body and b"/MarkInfo" in body and b"/Lang (nn)" in body
    assert b"pdfuaid:part" in body  # PDF/UA-1 declared in the XMP metadata
    # Every chart (the vote's and the survey's; the executive page has none), each with its alt text.
    assert body.count(b"/S /Figure") == 2 and body.count(b"/Alt ") >= 2
    assert b"/S /Table" in body and b"/S /TH" in body and b"/S /H1" in body
    if POPPLER:
        info = pdf_tool("pdfinfo", content)
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert "Title:           Workshop on Shared data platform" in info
        assert "Author:          Org A, Org B" in info and "CreationDate:    Thu Jan 31" in info


def test_the_archive_variant_is_pdf_a_and_still_tagged():
    content = workshop_pdf_archive(sample_report("nb")).content
    body = pdf_objects(content)
    assert b'pdfaid:part="2"' in body and b'pdfaid:conformance="B"' in body
    assert b"/OutputIntents" in body and b"GTS_PDFA1" in body  # the sRGB profile PDF/A needs
    assert b"/StructTreeRoot" in body and b"/Lang (nb)" in body
    assert b"pdfuaid" not in body
    if POPPLER:
        info = pdf_tool("pdfinfo", content)
        assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^Metadata Stream:\s+yes$", info, re.M)
        meta = pdf_tool("pdfinfo", content, "-meta")
        assert 'pdfaid:part="2"' in meta and "<dc:creator><rdf:Seq><rdf:li>Org A, Org B</rdf:li>" in meta


def test_every_chart_has_alt_text_listing_its_values():
    page = html(sample_report("nb"))
    alts = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]*)"', page)
    assert len(alts) == 2
    assert alts[0] == ("Søylediagram over prikker: 1 Shared data platform: 9; 2= Pre-competitive arena: 4; "
                       "2= National driving force: 4; 4 Genomics Norway: 1.")
    assert alts[1] == "Søylediagram over svar: Shared data platform: 2; More info: 0."
    blocks = [b for b in build(sample_report("en")) if b["type"] == "chart"]
    assert blocks[0]["alt"].startswith("Bar chart of dots: 1 Shared data platform: 9; 2= Pre-competitive arena: 4;")
    assert blocks[0]["spec"]["unit"] == "dots"


def test_figures_are_numbered_in_order_in_the_pdf_and_the_word_file():
    page = html(sample_report("nb"))
    assert re.findall(r"<figcaption>(.*?)</figcaption>", page) == ["Figur 1: Dots", "Figur 2: Next?"]
    doc = Document(io.BytesIO(workshop_docx(sample_report("nb")).content))
    captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == ["Figur 1: Dots", "Figur 2: Next?"]
    assert all("SEQ Figure" in p._p.xml for p in captions)  # Word's own caption numbering


def test_the_units_follow_the_counting_method():
    report = sample_report("nb")
    result = report["rounds"][1]["result"]
    for method, unit in (("dots", "prikker"), ("borda", "Borda-poeng"), ("score", "gjennomsnittlig karakter"),
                         ("schulze", "ideer den slår")):
        result["method"] = method
        spec = [b for b in build(report) if b["type"] == "chart"][0]["spec"]  # the round's own chart
        assert spec["unit"] == unit, method
    # The axis says it, under the bars.
    assert charts.render({**spec, "unit": "Borda-poeng"}, "png") != charts.render({**spec, "unit": ""}, "png")


def test_chart_labels_are_wrapped_between_words_not_cut():
    title = "Bruke populasjonsstudier (f. eks. HUNT) til å rekruttere pasienter til kliniske studier"
    wrapped = charts.wrap(title)
    assert wrapped.replace("\n", " ") == title and 2 <= wrapped.count("\n") + 1 <= charts.LABEL_LINES
    assert all(len(line) <= charts.LABEL_WIDTH for line in wrapped.split("\n"))
    longest = charts.wrap("ord " * 60)
    assert longest.count("\n") == charts.LABEL_LINES - 1 and longest.endswith("…")
    report = sample_report("en", titles=[title, "B", "C", "D"])
    spec = next(b for b in build(report) if b["type"] == "chart")["spec"]
    assert spec["labels"][0] == f"1  {title}"  # the chart gets the whole title and wraps it itself


def test_an_impact_effort_vote_is_drawn_as_the_matrix():
    report = impact_effort_report("nb")
    chart = next(b for b in build(report) if b["type"] == "chart")
    spec = chart["spec"]
    assert spec["type"] == "matrix" and tuple(spec["scale"]) == (1, 4)
    assert [(p["number"], p["x"], p["y"]) for p in spec["points"]] == [(1, 1.5, 3.5), (2, 3.5, 3.5), (3, 3.5, 3.5),
                                                                       (4, 3.8, 1.2)]
    assert spec["areas"] == {"quick_win": "Raske gevinster", "major_project": "Store prosjekter",
                             "fill_in": "Småtiltak", "thankless": "Utakknemlige oppgaver"}
    assert spec["x_label"] == "Gjennomsnittlig innsats" and spec["y_label"] == "Gjennomsnittlig effekt"
    assert chart["alt"].startswith("Matrise over effekt og innsats: 1 Shared data platform: effekt 3,5, innsats 1,5 "
                                   "(rask gevinst); 2 Pre-competitive arena: effekt 3,5, innsats 3,5 (stort prosjekt);")
    assert "4 Genomics Norway: effekt 1,2, innsats 3,8 (utakknemlig oppgave)" in chart["alt"]
    png, svg = charts.render(spec, "png"), charts.render(spec, "svg")
    assert png.startswith(b"\x89PNG") and b"<svg" in svg and charts.render(spec, "svg") == svg
    # Both writers take it, the negative score and all.
    assert workshop_pdf(report).content.startswith(b"%PDF-")
    assert "Figur 1: Dots" in [p.text for p in Document(io.BytesIO(workshop_docx(report).content)).paragraphs]


def test_a_matrix_with_nobody_rating_has_no_chart():
    report = impact_effort_report("en")
    for standing in report["rounds"][1]["result"]["standings"]:
        standing["extra"] = {"mean_impact": None, "mean_effort": None, "count": 0, "quadrant": None}
        standing["score"] = 0.0
    assert [b["caption"] for b in build(report) if b["type"] == "chart"] == ["Next?"]


@needs_poppler
@pytest.mark.parametrize("lines", [0, 14, 22, 30])
def test_a_table_stays_on_the_page_of_its_heading_and_chart(lines):
    report = sample_report("en")
    # The organisers' text in the vote's chapter pushes its result table further down the page.
    outline = default_outline(report)
    vote = next(s for s in outline if s.get("round_id") == report["rounds"][1]["id"])
    vote["body"] = "\n\n".join(f"Line {n} about the vote." for n in range(lines))
    report["outline"] = outline
    pages = [" ".join(page.split()) for page in pdf_pages(workshop_pdf(report).content)]
    on = lambda text: [n for n, page in enumerate(pages) if text in page]  # noqa: E731
    figure = on("Figure 1: Dots")
    assert len(figure) == 1
    assert on("3.2 Result")[-1] == on("Rank Idea")[0] == figure[0], lines


@needs_poppler
@pytest.mark.parametrize("rows", [23, 24, 45])
def test_a_long_table_never_leaves_one_row_alone_on_a_page(rows):
    report = sample_report("en")
    report["sectors"] = [{"sector": "industry", "label": f"Sector {n}", "count": 1} for n in range(5)]
    report["organisations"] = [{"name": f"Organisation number {n}", "sector": "industry", "sector_label": "Industry",
                                "count": 1} for n in range(rows)]
    pages = pdf_pages(workshop_pdf(report).content)
    counts = [sum(1 for line in page.splitlines() if "Organisation number" in line) for page in pages]
    counts = [c for c in counts if c]
    assert sum(counts) == rows and len(counts) >= 2 and min(counts) >= 2, counts


def test_the_pdf_runs_a_short_title_and_prints_the_demo_notice_on_every_page():
    report = with_notice(sample_report("nb"))
    report["workshop"]["title"] = ("Næringsrettet innsats for å følge opp Handlingsplan for forskning og innovasjon "
                                   "innenfor persontilpasset medisin")
    page = html(report)
    running = re.search(r"@top-right \{ content: (\"[^\"]*\")", page).group(1)
    assert running == '"Næringsrettet innsats for å følge opp Handlingsplan for\\002026"'  # cut at a word, with …
    if POPPLER:
        pages = [p for p in pdf_pages(workshop_pdf(report).content) if p.strip()]
        assert all(NOTICE in p for p in pages), [n for n, p in enumerate(pages) if NOTICE not in p]
        assert all(re.search(r"Side \d+ av \d+", p) for p in pages[1:])
        assert all("Næringsrettet innsats for å følge opp Handlingsplan for…" in p for p in pages[1:])
    assert NOTICE not in html(sample_report("nb"))


def test_hostile_text_stays_text_in_the_pdf_and_its_alt_text():
    report = sample_report("en", titles=['"><script>alert(1)</script>', "{{ 7*7 }}", "=cmd|' /C calc'!A0", "ok"])
    page = html(report)
    assert "<script>alert(1)" not in page and "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    alt = re.search(r'alt="([^"]*)"', page).group(1)
    assert "&lt;script&gt;" in alt and "{{ 7*7 }}" in alt
    assert workshop_pdf(report).content.startswith(b"%PDF-")


# --- Word --------------------------------------------------------------------------------------
def test_the_word_file_has_page_fields_a_running_title_and_the_demo_notice():
    content = workshop_docx(with_notice(sample_report("nb"))).content
    archive = zipfile.ZipFile(io.BytesIO(content))
    doc = Document(io.BytesIO(content))
    section = doc.sections[0]
    footer = section.footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer) and " NUMPAGES " in footer
    assert NOTICE in "".join(p.text for p in section.footer.paragraphs)
    assert NOTICE in "".join(p.text for p in section.first_page_footer.paragraphs)  # the title page too
    assert [p.text for p in section.header.paragraphs] == ["Workshop on Shared data platform"]
    assert not "".join(p.text for p in section.first_page_header.paragraphs)
    assert "Demo:" not in "".join(p.text for p in Document(io.BytesIO(workshop_docx(sample_report("nb")).content))
                                  .sections[0].footer.paragraphs)
    assert any(name.startswith("word/footer") for name in archive.namelist())


def test_the_word_files_properties_say_what_it_is():
    report = sample_report("nb")
    props = Document(io.BytesIO(workshop_docx(report).content)).core_properties
    assert props.title == "Workshop on Shared data platform"
    assert props.author == "Org A, Org B" and props.last_modified_by == "Tavle"
    assert props.created.replace(tzinfo=None) == datetime(2019, 1, 31) and props.language == "nb-NO"
    assert props.subject == "Rapport fra workshop" and props.comments == "" and props.revision == 1
    report["workshop"]["date"] = None
    report["workshop"]["organisers"] = []
    props = Document(io.BytesIO(workshop_docx(report).content)).core_properties
    assert props.author == "Tavle"
    assert abs((datetime.now(timezone.utc) - props.created.replace(tzinfo=timezone.utc)).total_seconds()) < 120


def test_word_charts_carry_their_alt_text():
    report = sample_report("en")
    alts = [b["alt"] for b in build(report) if b["type"] == "chart"]
    xml = zipfile.ZipFile(io.BytesIO(workshop_docx(report).content)).read("word/document.xml").decode()
    descr = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert descr == alts and descr[0].startswith("Bar chart of dots: 1 Shared data platform: 9;")


def test_word_tables_stay_with_their_charts_and_keep_their_edges():
    report = sample_report("en")
    report["organisations"] = [{"name": f"Org {n}", "sector": "industry", "sector_label": "Industry", "count": 1}
                               for n in range(30)]
    doc = Document(io.BytesIO(workshop_docx(report).content))

    def kept(row) -> bool:
        return all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)

    final = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Rank", "Idea", "Score", "Voters"])
    assert all(kept(r) for r in final.rows)  # the whole table stays with the chart under it
    orgs = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Organisation", "Sector", "Participants"])
    flags = [kept(r) for r in orgs.rows]
    assert flags[:2] == [True, True] and flags[-2:] == [True, False] and not any(flags[3:-3])
    assert all(r._tr.trPr is not None and r._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None for r in orgs.rows)


def test_a_word_file_ending_in_a_table_ends_with_a_one_point_paragraph():
    report = sample_report("en")
    # The participants appendix last (the method appendix left out): it ends with its groups.
    report["outline"] = [{**s, "included": s["kind"] != "method"} for s in default_outline(report)]
    blocks = build(report)
    assert blocks[-1]["type"] == "table" and blocks[-1]["header"][0] == "Group"
    doc = Document(io.BytesIO(workshop_docx(report).content))
    body = [el for el in doc.element.body.iterchildren() if el.tag.rsplit("}", 1)[-1] in ("p", "tbl")]
    # After the last table only the paragraph Word needs, one point high: a table that fills the
    # last page does not push an empty spacer onto a page of its own.
    assert [el.tag.rsplit("}", 1)[-1] for el in body[-2:]] == ["tbl", "p"]
    end = doc.paragraphs[-1]
    assert end.text == "" and end.paragraph_format.line_spacing == Pt(1)
    assert end.paragraph_format.space_before == end.paragraph_format.space_after == Pt(0)


# --- Excel -------------------------------------------------------------------------------------
RAW_KEYS = {"dots", "voters", "points", "mean_impact", "mean_effort", "count", "quadrant", "consensus", "idea_id",
            "beats", "beaten_by", "wins", "losses", "stdev"}


def test_every_workbook_list_is_an_excel_table_with_headers_in_the_language():
    report = impact_effort_report("nb")
    report["rounds"].append(copy.deepcopy(sample_report("nb")["rounds"][1]))
    report["rounds"][-1].update(position=5, title="Dots again")
    wb = load_workbook(io.BytesIO(workshop_xlsx(report).content))
    names = set()
    for ws in wb.worksheets[1:]:
        assert len(ws.tables) == 1, ws.title
        table = next(iter(ws.tables.values()))
        assert table.tableStyleInfo.name == "TableStyleMedium7" and table.tableStyleInfo.showRowStripes
        names.add(table.displayName)
        first_row = int(re.match(r"[A-Z]+(\d+)", table.ref).group(1))
        header = [c.value for c in ws[first_row] if c.value is not None]
        assert header and not RAW_KEYS & {h.lower() for h in header}, (ws.title, header)
        assert not ws.auto_filter.ref  # the table filters; a second filter would make Excel repair the file
    assert len(names) == len(wb.worksheets) - 1
    dots = wb["Resultat 5 Dots again"]
    header = [c.value for c in dots[5]]
    # The score headed by what it counts; the dots, which only repeat it, are not a column again.
    assert header == ["Plass", "Delt", "Idé nr.", "Idé", "Prikker", "Velgere", "Konsensus"]
    matrix = wb["Resultat 2 Dots"]
    assert [c.value for c in matrix[5]][4:] == ["Effekt minus innsats", "Gjennomsnittlig effekt", "Gjennomsnittlig innsats",
                                                "Antall", "Kvadrant", "Konsensus"]
    assert matrix["I6"].value == "Rask gevinst"
    assert [c.value for c in wb["Spørreundersøkelse"][1]] == ["Spørreundersøkelse", "Svar nr.", "Spørsmål", "Svar"]


def test_workbook_numbers_dates_and_times_have_formats():
    report = sample_report("nb")
    report["rounds"][1]["result"]["standings"][0].update(score=4.25, extra={"dots": 4.25, "voters": 2})
    wb = load_workbook(io.BytesIO(workshop_xlsx(report).content))
    result = wb["Resultat 2 Dots"]
    assert result["E6"].value == 4.25 and result["E6"].number_format == "#,##0.0#"
    assert result["F6"].value == 2 and result["F6"].number_format == "#,##0"
    consensus = result["G6"]
    assert consensus.value == 0.5 and consensus.number_format == "0%"
    assert result["G5"].comment is not None and "Konsensus: hvor jevnt støtten" in result["G5"].comment.text
    assert result["A4"].value.startswith("Konsensus: hvor jevnt støtten") and "100\u00a0%" in result["A4"].value
    about = wb["Om"]
    assert about["B3"].value == datetime(2019, 1, 31) and about["B3"].is_date
    agenda = wb["Program"]
    assert agenda["A2"].is_date and agenda["A2"].number_format == "hh:mm" and agenda["A2"].value.strftime("%H:%M") == "09:00"
    assert agenda["B2"].value == 30 and agenda["B2"].number_format == "#,##0"


def test_sheet_names_are_cut_at_a_word_and_unique():
    used: set[str] = set()
    long = "Resultat 4 Prioritering med prikker blant de beste ideene"
    first = sheet_name(long, used)
    assert first == "Resultat 4 Prioritering med…" and len(first) <= 31
    second = sheet_name(long, used)
    assert second == "Resultat 4 Prioritering… (2)" and len(second) <= 31
    assert sheet_name("Tiltak: a/b [x]*?", used) == "Tiltak a b x"
    assert sheet_name("x" * 40, used) == "x" * 30 + "…"
    report = sample_report("nb")
    report["rounds"][1]["title"] = "Prioritering med prikker blant de beste ideene"
    names = load_workbook(io.BytesIO(workshop_xlsx(report).content)).sheetnames
    assert "Resultat 2 Prioritering med…" in names and all(len(n) <= 31 for n in names)


def test_workbook_cells_with_formulas_stay_text():
    report = sample_report("nb", titles=["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2"])
    wb = load_workbook(io.BytesIO(workshop_xlsx(report).content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "=cmd|' /C calc'!A0"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


# --- CSV and Markdown --------------------------------------------------------------------------
def test_norwegian_csv_opens_in_norwegian_excel_and_stays_safe():
    report = sample_report("nb", titles=["=cmd|' /C calc'!A0", "Semikolon; og «anførsel»", "C", "D"])
    standings = report["rounds"][1]["result"]["standings"]
    standings[0]["score"], standings[1]["score"] = 1234.5, 0.25
    content = round_csv(report["rounds"][1], "nb").content
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Plass;Delt;Idé nr.;Idé;Poeng"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["1", "", "1", "'=cmd|' /C calc'!A0", "1234,5"]
    assert rows[2] == ["2", "ja", "2", "Semikolon; og «anførsel»", "0,25"]
    english = round_csv(report["rounds"][1], "en").content.decode("utf-8-sig")
    assert english.splitlines()[1] == "1,,1,'=cmd|' /C calc'!A0,1234.5"


def test_markdown_escapes_only_what_would_change_the_rendering():
    plain = "Pre-competitive arena (2019): data_platform, 50% more! a < b & c. Done."
    assert md_escape(plain) == plain
    assert md_escape("*bold* and _it_ [link](http://x) `code` <b>x</b> &amp; ~~gone~~") == (
        "\\*bold\\* and \\_it\\_ \\[link\\](http://x) \\`code\\` \\<b\\>x\\</b\\> \\&amp; \\~\\~gone\\~\\~")
    assert md_escape("a | b") == "a | b" and md_escape("a | b", cell=True) == "a \\| b"
    for start, escaped in (("# not a heading", "\\# not a heading"), ("- not a list", "\\- not a list"),
                           ("1. not a list", "1\\. not a list"), ("> not a quote", "\\> not a quote"),
                           ("---", "\\---"), ("#hashtag", "#hashtag"), ("-5 degrees", "-5 degrees")):
        assert md_escape(start, block=True) == escaped, start
        assert md_escape(start) == start
    assert md_escape("Title #", heading=True) == "Title \\#" and md_escape("C# tips", heading=True) == "C# tips"
    md = workshop_markdown(sample_report("en", details="x", titles=["Pre-competitive arena (2019).", "B", "C", "D"]))
    assert "| 1 | Pre-competitive arena (2019). | 9 |" in md.content.decode()


def test_markdown_of_hostile_text_renders_as_text():
    md = workshop_markdown(sample_report("en", titles=HOSTILE)).content.decode()
    assert not re.search(r"(?<!\\)<[A-Za-z/!?]", md)  # no tag, comment or autolink
    assert not re.search(r"(?<!\\)\[[^\]]*\]\(", md)  # no link
    assert "\\*bold\\* \\| pipe \\[link\\](http://x) # heading" in md
