"""Export writers: plain report data in, one file format out. No database: each writer builds its
file in the workshop's language from the gettext catalogs (``app.exports.labels.speaking``).

Writers are registered by name, so a new format is one function and one line. ``PARTS`` names
the optional parts of ``reporting.workshop_report`` a format reads (the others skip the work).

| format | module | what it is |
| --- | --- | --- |
| docx | docx_writer | the report organisers send out, editable in Word |
| pdf | pdf_writer | the same report, print-ready and tagged (PDF/UA-1; needs WeasyPrint, else ``ExportUnavailable``) |
| pdfa | pdf_writer | the same PDF for archiving (PDF/A-2b, tagged) |
| xlsx | xlsx_writer | ideas, results per round, anonymised ballots, participants, survey answers |
| json | writers | the full backup, importable again (``app.services.backup``) |
| md | writers | a Markdown summary |
| csv | writers | one round's ranked result (semicolons and decimal commas in Norwegian) |

``PDF_FORMATS`` are the formats that need WeasyPrint.
"""
from app.exports.docx_writer import workshop_docx
from app.exports.pdf_writer import ExportUnavailable, workshop_pdf, workshop_pdf_archive
from app.exports.writers import Export, round_csv, round_json, workshop_json, workshop_markdown
from app.exports.xlsx_writer import workshop_xlsx

ROUND_WRITERS = {"csv": round_csv, "json": round_json}
WORKSHOP_WRITERS = {
    "docx": workshop_docx,
    "pdf": workshop_pdf,
    "pdfa": workshop_pdf_archive,
    "xlsx": workshop_xlsx,
    "json": workshop_json,
    "md": workshop_markdown,
}
PARTS: dict[str, tuple[str, ...]] = {"xlsx": ("ballots",), "json": ("backup",)}
PDF_FORMATS = frozenset({"pdf", "pdfa"})

__all__ = ["Export", "ExportUnavailable", "PARTS", "PDF_FORMATS", "ROUND_WRITERS", "WORKSHOP_WRITERS"]
