"""The report as a Word document (python-docx), editable in Word and LibreOffice.

Headings use Word's own Heading 1-3 styles, so the navigation pane and the table of contents
work; the table of contents is a real TOC field, filled in with the headings so it reads right
before anyone updates it (Word is asked to update fields on opening, which adds page numbers).
Pages are A4 with a page number in the footer from the second page on.
"""
from __future__ import annotations

import io
from typing import Any, Mapping

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app import i18n
from app.exports import charts
from app.exports.document import build
from app.exports.labels import page_of, speaking, xml_safe
from app.exports.writers import Export, Progress, no_progress

FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
BRAND = RGBColor(0x2F, 0x6F, 0x5E)
GREY = RGBColor(0x5F, 0x63, 0x68)
TEXT = RGBColor(0x22, 0x22, 0x22)
HEADER_FILL = "2F6F5E"
STRIPE_FILL = "EEF4F2"
RULE = "B7C9C3"
CONTENT_WIDTH_CM = 16.0
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The language tag Word marks the text with (for spelling and hyphenation), by workshop language.
#: Word's language tag of each workshop language (the locale's, as nb-NO).
LANG_TAGS = {lang: locale.replace("_", "-") for lang, locale in i18n.LOCALES.items()}


# --- low-level XML helpers --------------------------------------------------------------------
def _fonts(element, name: str = FONT) -> None:
    """Set an explicit font on a style or run, dropping theme fonts (which Word prefers)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _cell_margins(table, top: int = 50, bottom: int = 50, left: int = 90, right: int = 90) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def _borders(table, *, outer: bool = False) -> None:
    """Thin horizontal rules between rows; no vertical lines (a report table, not a grid)."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        if side in ("insideH", "bottom") or (outer and side == "top"):
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), RULE)
        else:
            el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _widths(table, fractions: list[float]) -> None:
    """A fixed layout over the full text width: Word and LibreOffice both keep these columns."""
    total = int(CONTENT_WIDTH_CM / 2.54 * 1440)  # twips
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblW")):
        tblpr.remove(old)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(total))
    width.set(qn("w:type"), "dxa")
    tblpr.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for n, fraction in enumerate(fractions):
        table.columns[n].width = Cm(CONTENT_WIDTH_CM * fraction)
        for row in table.rows:
            row.cells[n].width = Cm(CONTENT_WIDTH_CM * fraction)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
    cant = OxmlElement("w:cantSplit")
    trpr.append(cant)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC ...) in ``paragraph``; ``placeholder`` is its cached text."""
    def char(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
        return run

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


# --- styles -------------------------------------------------------------------------------------
def _styles(doc, lang: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal.element)
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), LANG_TAGS[lang])
    rpr.append(lang_el)
    for name, size, before, after, color in (
        ("Heading 1", 17, 18, 8, BRAND), ("Heading 2", 13, 14, 4, BRAND), ("Heading 3", 11, 10, 2, TEXT),
    ):
        st = styles[name]
        _fonts(st.element)
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = color
        st.paragraph_format.space_before = Pt(before)
        st.paragraph_format.space_after = Pt(after)
        st.paragraph_format.keep_with_next = True
    # Every chapter starts on a new page, as in a printed report.
    styles["Heading 1"].paragraph_format.page_break_before = True
    title = styles["Title"]
    _fonts(title.element)
    title.font.size = Pt(26)
    title.font.bold = True
    title.font.color.rgb = BRAND
    title.paragraph_format.space_after = Pt(18)
    # The Title style draws a rule under itself; this report's title page has its own.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    quote = styles["Quote"]
    _fonts(quote.element)
    quote.font.italic = False
    quote.font.size = Pt(10.5)
    quote.font.color.rgb = TEXT
    quote.paragraph_format.left_indent = Cm(0.6)
    quote.paragraph_format.space_after = Pt(2)
    qppr = quote.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "8"), ("w:color", HEADER_FILL)):
        left.set(qn(k), v)
    bdr.append(left)
    qppr.append(bdr)
    for name in ("Caption", "List Bullet", "Header", "Footer"):
        _fonts(styles[name].element)
    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.italic = True
    caption.font.bold = False
    caption.font.color.rgb = GREY
    for name, size, color, italic in (("Tavle Muted", 10, GREY, False), ("Tavle Small", 9, GREY, False),
                                      ("Tavle Lead", 12, TEXT, False), ("Tavle Cell", 9.5, TEXT, False),
                                      ("Tavle Cell Sub", 8.5, GREY, False), ("Tavle Kicker", 11, BRAND, False)):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        _fonts(st.element)
        st.font.size = Pt(size)
        st.font.color.rgb = color
        st.font.italic = italic
    styles["Tavle Cell"].paragraph_format.space_after = Pt(0)
    styles["Tavle Cell"].paragraph_format.line_spacing = 1.05
    styles["Tavle Cell Sub"].paragraph_format.space_after = Pt(0)
    styles["Tavle Cell Sub"].paragraph_format.space_before = Pt(2)
    styles["Tavle Kicker"].font.bold = True
    styles["Tavle Kicker"].font.all_caps = True
    for level in (1, 2):
        st = styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        _fonts(st.element)
        st.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        st.paragraph_format.space_after = Pt(3 if level == 1 else 1)
        st.font.bold = level == 1


def _page_setup(doc, lang: str) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.style = doc.styles["Footer"]
    before, between, after = page_of()
    footer.add_run(before)
    _field(footer, "PAGE", "1")
    footer.add_run(between)
    _field(footer, "NUMPAGES", "1")
    footer.add_run(after)
    for r in footer.runs:
        r.font.size = Pt(9)
        r.font.color.rgb = GREY
    # Ask Word to update fields (table of contents, page count) when the file is opened.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


# --- blocks -------------------------------------------------------------------------------------
def _paragraph(doc, text: str, style: str = "normal"):
    styles = {"normal": None, "lead": "Tavle Lead", "muted": "Tavle Muted", "small": "Tavle Small"}
    return doc.add_paragraph(xml_safe(text), style=styles.get(style))


def _title_page(doc, b: Mapping[str, Any]) -> None:
    for _ in range(5):
        doc.add_paragraph()
    doc.add_paragraph(xml_safe(b["kicker"]), style="Tavle Kicker")
    doc.add_paragraph(xml_safe(b["title"]), style="Title")
    if b.get("date"):
        p = doc.add_paragraph(xml_safe(b["date"]), style="Tavle Lead")
        p.paragraph_format.space_after = Pt(24)
    if b.get("organisers"):
        p = doc.add_paragraph(style="Tavle Muted")
        p.add_run(xml_safe(b["organisers_label"]))
        p.paragraph_format.space_after = Pt(2)
        p = doc.add_paragraph(xml_safe(" · ".join(b["organisers"])))
        p.paragraph_format.space_after = Pt(24)
    facts = "   ·   ".join(b["facts"])
    doc.add_paragraph(xml_safe(facts), style="Tavle Muted")
    for _ in range(3):
        doc.add_paragraph()
    doc.add_paragraph(xml_safe(b["made_with"]), style="Tavle Small")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _toc(doc, b: Mapping[str, Any]) -> None:
    heading = doc.add_paragraph(xml_safe(b["title"]), style="TOC Heading")
    _fonts(heading.style.element)
    heading.style.font.color.rgb = BRAND
    heading.style.font.size = Pt(17)
    # A TOC field whose cached result already lists the headings; Word recomputes it on update.
    first = doc.add_paragraph(style="TOC 1")
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    first.add_run()._r.append(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    first.add_run()._r.append(sep)
    entries = list(b["entries"])
    para = first
    for n, (level, text, _anchor) in enumerate(entries):
        if n:
            para = doc.add_paragraph(style=f"TOC {min(level, 2)}")
        else:
            para.style = doc.styles[f"TOC {min(level, 2)}"]
        para.add_run(xml_safe(text))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    para.add_run()._r.append(end)
    doc.add_paragraph(xml_safe(b["hint"]), style="Tavle Small")


def _table(doc, b: Mapping[str, Any]) -> None:
    header, rows = b["header"], b["rows"]
    facts = b.get("kind") == "facts"
    ncols = len(header)
    table = doc.add_table(rows=0 if facts else 1, cols=ncols)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _borders(table, outer=facts)
    _cell_margins(table)
    widths = b.get("widths") or [1 / ncols] * ncols
    align = b.get("align") or ["left"] * ncols
    aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
    if not facts:
        head = table.rows[0]
        _repeat_header(head)
        for n, text in enumerate(header):
            cell = head.cells[n]
            _shade(cell, HEADER_FILL)
            p = cell.paragraphs[0]
            p.style = doc.styles["Tavle Cell"]
            p.alignment = aligns.get(align[n], WD_ALIGN_PARAGRAPH.LEFT)
            run = p.add_run(xml_safe(text))
            run.bold = True
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    for r, row in enumerate(rows):
        cells = table.add_row().cells
        table.rows[-1]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for n, value in enumerate(row[:ncols]):
            cell = cells[n]
            if not facts and r % 2 == 1:
                _shade(cell, STRIPE_FILL)
            p = cell.paragraphs[0]
            p.style = doc.styles["Tavle Cell"]
            p.alignment = aligns.get(align[n], WD_ALIGN_PARAGRAPH.LEFT)
            if isinstance(value, dict):
                p.add_run(xml_safe(value.get("text", ""))).bold = True
                if value.get("sub"):
                    cell.add_paragraph(xml_safe(value["sub"]), style="Tavle Cell Sub")
            else:
                run = p.add_run(xml_safe(value))
                if facts and n == 0:
                    run.font.color.rgb = GREY
    _widths(table, [w / sum(widths) for w in widths])
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _chart(doc, b: Mapping[str, Any]) -> None:
    png = charts.render(b["spec"], "png")
    doc.add_picture(io.BytesIO(png), width=Cm(CONTENT_WIDTH_CM))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph(xml_safe(b["caption"]), style="Caption")


def write(blocks: list[dict[str, Any]], lang: str, title: str, progress: Progress = no_progress) -> bytes:
    # One step per chapter (a level-1 heading) and one for saving the file.
    total = sum(1 for b in blocks if b["type"] == "heading" and b["level"] == 1) + 1
    done = 0
    progress(done, total, "sections")
    doc = Document()
    _styles(doc, lang)
    _page_setup(doc, lang)
    props = doc.core_properties
    props.title = xml_safe(title)[:255]
    props.author = "Tavle"
    props.language = LANG_TAGS[lang]
    # python-docx's template starts with one empty paragraph: use the document from its start.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for b in blocks:
        kind = b["type"]
        if kind == "title_page":
            _title_page(doc, b)
        elif kind == "toc":
            _toc(doc, b)
        elif kind == "heading":
            if b["level"] == 1 and done < total - 1:
                if done:
                    progress(done, total, "sections")
                done += 1
            doc.add_heading(xml_safe(b["text"]), level=b["level"])
        elif kind == "paragraph":
            _paragraph(doc, b["text"], b.get("style", "normal"))
        elif kind == "bullets":
            for item in b["items"]:
                doc.add_paragraph(xml_safe(item), style="List Bullet")
        elif kind == "table":
            _table(doc, b)
        elif kind == "chart":
            _chart(doc, b)
        elif kind == "quote":
            doc.add_paragraph(xml_safe(b["text"]), style="Quote")
            if b.get("source"):
                p = doc.add_paragraph(xml_safe("— " + b["source"]), style="Tavle Small")
                p.paragraph_format.left_indent = Cm(0.6)
                p.paragraph_format.space_after = Pt(8)
    progress(total - 1, total, "sections")
    buf = io.BytesIO()
    doc.save(buf)
    progress(total, total, "sections")
    return buf.getvalue()


def workshop_docx(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """The workshop report as a Word document; ``progress`` hears of each chapter written."""
    with speaking(lang or report["workshop"].get("language")) as lang:
        content = write(build(report, lang), lang, report["workshop"]["title"], progress)
    return Export(content, DOCX_MIME, "docx")

