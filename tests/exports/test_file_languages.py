"""Every file speaks its workshop's language: nynorsk, bokmål or English words, and numbers and
dates as each writes them (``4,7`` and ``80 %`` in Norwegian, ``4.7`` and ``80%`` in English)."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from app.exports.docx_writer import workshop_docx
from app.exports.writers import round_csv, workshop_markdown
from app.exports.xlsx_writer import workshop_xlsx
from tests.support.report_data import docx_text, sample_report

#: The writers translate with the app's gettext catalogs: each test runs in an application context.
pytestmark = pytest.mark.usefixtures("ctx")

NBSP = "\u00a0"


def fractional(lang: str) -> dict:
    """The sample report with scores and a survey mean that have decimals."""
    report = sample_report(lang)
    for standing, score in zip(report["rounds"][1]["result"]["standings"], (4.7, 2.25, 2.25, 0.5)):
        standing["score"] = score
    report["surveys"][0]["questions"][0].update(mean=4.25, median=4.5)
    return report


def test_markdown_of_a_nynorsk_workshop():
    md = workshop_markdown(fractional("nn")).content.decode()
    for expected in (
        "Dato: 31. januar 2019", "Arrangørar: Org A, Org B", "Deltakarar: 5",
        "| Tid | Punkt | Kven |", "## Program",
        "| Plass | Idé | Poeng |", "| 1 | Shared data platform | 4,7 |", "| 2= | Pre-competitive arena | 2,25 |",
        "*Røystesetlar:* 4", "*2 kommentarar*", "*Gruppe: Group 1*", "(ikkje fylt ut)",
        "## Spørjeundersøking: Evaluation", "*3 svar.*", "Gjennomsnitt 4,25, median 4,5 (3 svar).",
        f"| 5 | 1 | 33{NBSP}% |", "| Svar | Tal | Del |",
    ):
        assert expected in md, expected
    assert "4.7" not in md and "Date:" not in md


def test_markdown_of_an_english_workshop_keeps_decimal_points():
    md = workshop_markdown(fractional("en")).content.decode()
    for expected in ("Date: 31 January 2019", "| 1 | Shared data platform | 4.7 |", "Mean 4.25, median 4.5 (3 answers).",
                     "| 5 | 1 | 33% |", "*Ballots:* 4", "## Agenda"):
        assert expected in md, expected
    assert "4,7" not in md


@pytest.mark.parametrize("lang, delimiter, header, tied, score", [
    ("nn", ";", ["Plass", "Delt", "Idé nr.", "Idé", "Poeng"], "ja", "4,7"),
    ("nb", ";", ["Plass", "Delt", "Idé nr.", "Idé", "Poeng"], "ja", "4,7"),
    ("en", ",", ["Rank", "Tied", "Idea no.", "Idea", "Score"], "yes", "4.7"),
])
def test_round_csv_in_each_language(lang, delimiter, header, tied, score):
    """Norwegian Excel opens a CSV with semicolons and decimal commas; English keeps commas and points."""
    text = round_csv(fractional(lang)["rounds"][1], lang).content.decode("utf-8-sig")
    assert text.splitlines()[0] == delimiter.join(header)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert rows[0] == header and all(len(row) == 5 for row in rows)
    assert rows[1][4] == score and rows[2][1] == tied and rows[2][4] == ("2,25" if lang != "en" else "2.25")
    assert [row[2] for row in rows[1:]] == ["1", "2", "3", "4"]  # the idea's number, not its database id


def test_docx_of_a_nynorsk_workshop():
    content = workshop_docx(fractional("nn")).content
    text = docx_text(content)
    for expected in (
        "Rapport frå workshop", "31. januar 2019", "Arrangørar", "5 deltakarar   ·   2 organisasjonar   ·   4 rundar",
        "Laga med Tavle", "Innhald", "1 Samandrag", "5 deltakarar frå 2 organisasjonar var med.",
        "Workshopen hadde 4 rundar:", "Tilrådde idear", "Vedlegg 3: Metode", "Delte plassar", "Deltaking",
        f"4 av 5 deltakarar røysta (80{NBSP}%).", "= tyder delt plass: ideane fekk likt resultat.",
        "Etter sektor", "blir ikkje vist (færre enn 3 veljarar)",
        "Utvalde kommentarar er attgjevne nedanfor.", "Ingen kommentarar vart valde ut for dette punktet.",
        "Den øvste ideen frå «Dots» vart utarbeidd av ei gruppe under desse overskriftene:",
        "«Challenge», «Idea» og «First steps – who contributes what?»", "(ikkje fylt ut)",
        "Spørjeundersøking: Evaluation", "Gjennomsnitt 4,25, median 4,5 (3 svar).", "Svara var anonyme.",
        "Vedlegg 1: Program", "Vedlegg 2: Deltakarliste", "Deltakarar etter sektor",
    ):
        assert expected in text, expected
    # Scores in the tables with decimal commas.
    doc = Document(io.BytesIO(content))
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    assert "4,7" in cells and "2,25" in cells and "4.7" not in cells
    assert {"Plass", "Idé", "Poeng", "Veljarar", "Sektor", "Øvst"} <= set(cells)
    footer = zipfile.ZipFile(io.BytesIO(content)).read("word/footer1.xml").decode()
    assert "Side " in footer and " av " in footer
    styles = zipfile.ZipFile(io.BytesIO(content)).read("word/styles.xml").decode()
    assert 'w:val="nn-NO"' in styles


def test_docx_of_an_english_workshop():
    text = docx_text(workshop_docx(fractional("en")).content)
    for expected in ("Workshop report", "5 participants   ·   2 organisations   ·   4 rounds", "1 Summary",
                     "4 of 5 participants voted (80%).", "Mean 4.25, median 4.5 (3 answers).", "“Challenge”, “Idea” and",
                     "Appendix 1: Agenda"):
        assert expected in text, expected
    assert "4.7" in text and "4,7" not in text


def test_xlsx_of_a_nynorsk_workshop():
    wb = load_workbook(io.BytesIO(workshop_xlsx(fractional("nn")).content))
    assert wb.sheetnames[:3] == ["Om", "Idear", "Resultat 2 Dots"]
    assert {"Røystesetlar", "Deltakarar", "Spørjeundersøking", "Kommentarar", "Arbeidsark", "Program"} <= set(wb.sheetnames)
    about = {row[0].value: row[1] for row in wb["Om"].iter_rows(min_row=3) if row[0].value}
    assert about["Dato"].value.date() == date(2019, 1, 31) and about["Dato"].number_format == "[$-814]d. mmmm yyyy"
    assert about["Deltakarar"].value == 5 and "veljarnummer" in about["Røystesetlar"].value
    assert [c.value for c in wb["Idear"][1]][:4] == ["Nr.", "Runde", "Idé", "Detaljar"]
    result = wb["Resultat 2 Dots"]
    assert result["A2"].value.endswith("4 røystesetlar")
    header = [c.value for c in result[5]]
    # The scores were changed beside the dots they came from: both are shown, the score as "Poeng".
    assert header == ["Plass", "Delt", "Idé nr.", "Idé", "Poeng", "Prikkar", "Veljarar", "Konsensus"]
    plain = load_workbook(io.BytesIO(workshop_xlsx(sample_report("nn")).content))["Resultat 2 Dots"]
    assert [c.value for c in plain[5]] == ["Plass", "Delt", "Idé nr.", "Idé", "Prikkar", "Veljarar", "Konsensus"]
    assert header[-1] == "Konsensus"
    # Scores stay numbers: the spreadsheet writes 4,7 in the reader's locale and can still sum them.
    assert result["E6"].value == 4.7 and result["B7"].value == "ja"
    assert [c.value for c in wb["Røystesetlar"][1]] == ["Runde", "Veljar", "Idé nr.", "Idé", "Verdi", "Merknad"]


# --- a real workshop through the report and the writers ------------------------------------------
def _rated_workshop(make, lang: str):
    """A workshop in ``lang`` with a closed rating round (means 4.5 and 2) and a closed impact/effort round."""
    from app import transaction
    from app.services import rounds

    w = make.workshop("Språkdag", language=lang)
    people = make.participants(w, 2)
    brainstorm = make.round(w, "brainstorm", "Idear", open_=True)
    a, b = make.ideas(brainstorm, people, ["Felles dataplattform", "Nasjonal satsing"])
    score = make.round(w, "score", "Stjerner", open_=True, source=brainstorm)
    for person, (va, vb) in zip(people, ((5, 2), (4, 2))):
        make.vote(person, score, "rate_idea", idea_id=a.id, value=va)
        make.vote(person, score, "rate_idea", idea_id=b.id, value=vb)
    transaction.run(lambda: rounds.close_round(score))
    matrix = make.round(w, "impact_effort", "Matrise", open_=True, source=brainstorm, scale_min=1, scale_max=4)
    make.vote(people[0], matrix, "rate_impact_effort", idea_id=a.id, impact=4, effort=1)
    transaction.run(lambda: rounds.close_round(matrix))
    return w


def test_a_nynorsk_workshop_through_the_report(make):
    from app.services import reporting

    w = _rated_workshop(make, "nn")
    report = reporting.workshop_report(w, parts=("ballots",))
    text = docx_text(workshop_docx(report).content)
    for expected in (
        "Karakterar · Byggjer på: Idear", "Effekt og innsats · Byggjer på: Idear",
        "Deltakarane vurderte kvar idé på ein skala frå 1 til 5.", "midtpunktet 2,5.",
        "ingen uavgjorde plasseringar vart avgjorde automatisk", "Teljeregel", "gjennomsnittleg karakter",
        "Workshopen hadde 3 rundar: idémyldring, karakterar og effekt og innsats.",
    ):
        assert expected in text, expected
    doc = Document(io.BytesIO(workshop_docx(report).content))
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    assert "4,5" in cells and "4.5" not in cells
    md = workshop_markdown(report).content.decode()
    assert "| 1 | Felles dataplattform | 4,5 |" in md and "midtpunktet 2,5" in md
    wb = load_workbook(io.BytesIO(workshop_xlsx(report).content))
    matrix = next(ws for ws in wb.worksheets if ws.title.startswith("Resultat") and "Matrise" in ws.title)
    assert "midtpunktet 2,5" in matrix["A3"].value
    assert matrix["A2"].value == "Effekt og innsats · effekt minus innsats · 1 røystesetel"
    quadrant = [c.value for c in matrix[5]].index("Kvadrant")
    assert matrix.cell(row=6, column=quadrant + 1).value == "Rask vinst"


def test_an_english_workshop_through_the_report(make):
    from app.services import reporting

    report = reporting.workshop_report(_rated_workshop(make, "en"), parts=("ballots",))
    text = docx_text(workshop_docx(report).content)
    assert "Rating · Over: Idear" in text and "midpoint 2.5." in text
    assert "The workshop had 3 rounds: brainstorm, rating and impact and effort." in text
    assert "| 1 | Felles dataplattform | 4.5 |" in workshop_markdown(report).content.decode()


def test_pdf_of_a_nynorsk_workshop():
    from app.exports.pdf_writer import html, workshop_pdf

    page = html(fractional("nn"))
    assert '<html lang="nn">' in page
    assert 'content: "Side " counter(page) " av " counter(pages) ""' in page  # the page numbers, in nynorsk
    assert "Rapport frå workshop" in page and "4 av 5 deltakarar røysta (80" in page and "<td class=\"right\">4,7</td>" in page
    assert workshop_pdf(fractional("nn")).content.startswith(b"%PDF-")
