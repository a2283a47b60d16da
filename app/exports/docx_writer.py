"""The report as a Word document (python-docx), editable in Word and LibreOffice.

Headings use Word's own Heading 1-3 styles, so the navigation pane and the table of contents
work. The table of contents is written out: each entry links to its heading (a bookmark) and
ends in a PAGEREF field, so it reads right as it is opened, LibreOffice fills in the page numbers
as it lays out the pages, and Word does when it updates fields (it is asked to on opening).
Figures are numbered with a SEQ field ("Figur 2: …") and carry their alternative text (the
chart told in a sentence).

Pages are A4. From the second page on, the workshop's title (shortened) runs at the top and
"Page 3 of 7" (PAGE and NUMPAGES fields) at the bottom; a demo workshop's notice
(``workshop.demo_notice``) is printed in the footer of every page. The file's properties say
its title, its organisers (as author), its date (the workshop's, else now) and its language.

Print rules as in the PDF: headings keep with what follows; a table of up to ``KEEP_ROWS``
rows stays on one page, with its chart; a longer table never leaves its first or last two rows
alone on a page, and no row is split.
"""
from __future__ import annotations

import io
from datetime import date, datetime, timezone
from typing import Any, Mapping

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app import i18n
from app.exports import charts
from app.exports.document import EDGE_ROWS, KEEP_ROWS, build
from app.exports.labels import figure_parts, page_of, short_title, speaking, xml_safe
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


def _run(parent, text: str = ""):
    """A bare ``w:r`` appended to ``parent`` (a paragraph's or a hyperlink's XML), with ``text``."""
    run = OxmlElement("w:r")
    if text:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
    parent.append(run)
    return run


def _field_xml(parent, instruction: str, placeholder: str = "") -> None:
    """A complex field's runs appended to ``parent`` (XML); ``placeholder`` is its cached result."""
    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        _run(parent).append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    _run(parent).append(instr)
    char("separate")
    _run(parent, placeholder)
    char("end")


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, SEQ ...) in ``paragraph``; ``placeholder`` is its cached text."""
    _field_xml(paragraph._p, instruction, placeholder)


def _bookmark(paragraph, name: str, number: int) -> None:
    """A bookmark around ``paragraph``'s text (what the table of contents links to)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    ppr = paragraph._p.pPr
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph._p.insert(0, start)
    paragraph._p.append(end)


def _keep_with_next(row) -> None:
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


# --- styles -------------------------------------------------------------------------------------
def _styles(doc, lang: str) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _fonts(normal.element)
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = TEXT
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.widow_control = True
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
        st.paragraph_format.tab_stops.add_tab_stop(Cm(CONTENT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        st.font.bold = level == 1


def _small_grey(paragraph, size: float = 9) -> None:
    for r in paragraph.runs:
        r.font.size = Pt(size)
        r.font.color.rgb = GREY


def _page_setup(doc, lang: str, title: str, notice: str) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run(short_title(title))
    _small_grey(header, 8)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    if notice:
        footer.add_run(notice)
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _small_grey(footer, 8.5)
        footer = section.footer.add_paragraph(style=doc.styles["Footer"])
        first = section.first_page_footer.paragraphs[0]
        first.style = doc.styles["Footer"]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run(notice)
        _small_grey(first, 8.5)
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, between, after = page_of()
    footer.add_run(before)
    _field(footer, "PAGE", "1")
    footer.add_run(between)
    _field(footer, "NUMPAGES", "1")
    footer.add_run(after)
    _small_grey(footer)
    # Ask Word to update fields (the table of contents' page numbers) when the file is opened.
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _properties(doc, lang: str, workshop: Mapping[str, Any], subject: str) -> None:
    """The file's core properties: title, organisers as author, the workshop's date, language."""
    props = doc.core_properties
    props.title = xml_safe(workshop["title"])[:255]
    organisers = ", ".join(xml_safe(o) for o in workshop.get("organisers") or [])
    props.author = (organisers or "Tavle")[:255]
    props.last_modified_by = "Tavle"
    props.subject = xml_safe(subject)[:255]
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.language = LANG_TAGS[lang]
    props.revision = 1
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    created = now
    if workshop.get("date"):
        try:
            day = date.fromisoformat(str(workshop["date"])[:10])
            created = datetime(day.year, day.month, day.day)
        except ValueError:
            pass
    props.created = created
    props.modified = max(created, now)


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
    # The entries written out, each linked to its heading's bookmark and ending in a PAGEREF
    # field: LibreOffice computes those as it lays out the pages, Word when it updates fields
    # (it is asked to on opening). Written as text rather than a TOC field, whose stored result
    # LibreOffice shows as it is, without page numbers.
    for level, text, anchor in b["entries"]:
        para = doc.add_paragraph(style=f"TOC {min(level, 2)}")
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), _bookmark_name(anchor))
        link.set(qn("w:history"), "1")
        para._p.append(link)
        _run(link, xml_safe(text))
        _run(link).append(OxmlElement("w:tab"))
        _field_xml(link, f"PAGEREF {_bookmark_name(anchor)} \\h", "")


def _bookmark_name(anchor: str) -> str:
    """The bookmark of a heading (Word hides bookmarks whose names start with ``_Toc``)."""
    return f"_Toc_{anchor}"


def _table(doc, b: Mapping[str, Any], *, keep_with_next: bool = False, spacer: bool = True) -> None:
    """A table; ``keep_with_next`` keeps it on the page of what follows (its chart). ``spacer``
    adds an empty paragraph after it (two tables in a row would merge without one); before a
    heading it is left out, or a table that fills its page would push it onto a page of its own."""
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
    # A short table stays whole (and with its chart); a long one keeps its first and last rows
    # in pairs. A row with "keep with next" in every paragraph stays on the next row's page.
    all_rows = list(table.rows)
    if len(rows) <= KEEP_ROWS:
        keep = all_rows[:-1]
    else:
        head = 0 if facts else 1
        keep = all_rows[: head + EDGE_ROWS - 1] + all_rows[-EDGE_ROWS:-1]
    for row in keep:
        _keep_with_next(row)
    if keep_with_next and all_rows:
        _keep_with_next(all_rows[-1])
    if spacer:
        gap = doc.add_paragraph()
        gap.paragraph_format.space_after = Pt(2)
        gap.paragraph_format.keep_with_next = keep_with_next


def _chart(doc, b: Mapping[str, Any], number: int) -> None:
    """A chart as a picture with its alternative text, then its numbered caption ("Figur 2: …",
    the number a SEQ field as Word's own captions have)."""
    png = charts.render(b["spec"], "png")
    doc.add_picture(io.BytesIO(png), width=Cm(CONTENT_WIDTH_CM))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc_pr = doc.inline_shapes[-1]._inline.docPr
    doc_pr.set("descr", xml_safe(b.get("alt") or b["caption"]))
    doc_pr.set("title", xml_safe(b["caption"])[:255])
    caption = doc.add_paragraph(style="Caption")
    before, after = figure_parts(b["caption"])
    caption.add_run(before)
    _field(caption, "SEQ Figure \\* ARABIC", str(number))
    caption.add_run(after)


def _before_chart(blocks: list[dict[str, Any]], n: int) -> bool:
    """Whether block ``n`` is followed by a chart, with at most a few notes between."""
    for b in blocks[n + 1:]:
        if b["type"] == "chart":
            return True
        if b["type"] != "paragraph" or b.get("style") not in ("small", "muted"):
            return False
    return False


def _ends_with_table(body) -> bool:
    """Whether the document's last block (before its section properties) is a table."""
    blocks = [el for el in body.iterchildren() if el.tag in (qn("w:tbl"), qn("w:p"))]
    return bool(blocks) and blocks[-1].tag == qn("w:tbl")


def _end_mark(doc) -> None:
    """The paragraph Word needs after a table that ends the document, one point high, so that a
    table filling the last page does not push it onto an empty page of its own."""
    mark = doc.add_paragraph()
    fmt = mark.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    rpr = OxmlElement("w:rPr")  # the paragraph mark's own size, 1 pt
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    rpr.append(size)
    mark._p.get_or_add_pPr().append(rpr)


def write(blocks: list[dict[str, Any]], lang: str, workshop: Mapping[str, Any] | str,
          progress: Progress = no_progress) -> bytes:
    """The blocks as a Word file in ``lang``, for ``workshop`` (the report's, or just its title)."""
    if isinstance(workshop, str):
        workshop = {"title": workshop}
    # One step per chapter (a level-1 heading) and one for saving the file.
    total = sum(1 for b in blocks if b["type"] == "heading" and b["level"] == 1) + 1
    done = 0
    figures = 0
    progress(done, total, "sections")
    doc = Document()
    _styles(doc, lang)
    notice = " ".join(xml_safe(workshop.get("demo_notice") or "").split())
    _page_setup(doc, lang, workshop["title"], notice)
    kicker = next((b["kicker"] for b in blocks if b["type"] == "title_page"), "")
    _properties(doc, lang, workshop, kicker)
    # python-docx's template starts with one empty paragraph: use the document from its start.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    bookmarks = 0
    for n, b in enumerate(blocks):
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
            heading = doc.add_heading(xml_safe(b["text"]), level=b["level"])
            if b.get("anchor"):
                bookmarks += 1
                _bookmark(heading, _bookmark_name(b["anchor"]), bookmarks)
        elif kind == "paragraph":
            para = _paragraph(doc, b["text"], b.get("style", "normal"))
            # The notes under a table stay with its chart; the one paragraph between a heading and
            # its table stays with the table.
            follows_heading = n and blocks[n - 1]["type"] == "heading"
            before_table = n + 1 < len(blocks) and blocks[n + 1]["type"] == "table"
            if _before_chart(blocks, n) or (follows_heading and before_table):
                para.paragraph_format.keep_with_next = True
        elif kind == "bullets":
            for item in b["items"]:
                doc.add_paragraph(xml_safe(item), style="List Bullet")
        elif kind == "table":
            heading_next = n + 1 < len(blocks) and blocks[n + 1]["type"] == "heading"
            last = n == len(blocks) - 1
            _table(doc, b, keep_with_next=len(b["rows"]) <= KEEP_ROWS and _before_chart(blocks, n),
                   spacer=not (heading_next or last))
        elif kind == "chart":
            figures += 1
            _chart(doc, b, figures)
        elif kind == "quote":
            doc.add_paragraph(xml_safe(b["text"]), style="Quote").paragraph_format.keep_with_next = bool(b.get("source"))
            if b.get("source"):
                p = doc.add_paragraph(xml_safe("— " + b["source"]), style="Tavle Small")
                p.paragraph_format.left_indent = Cm(0.6)
                p.paragraph_format.space_after = Pt(8)
    if _ends_with_table(body):
        _end_mark(doc)
    progress(total - 1, total, "sections")
    buf = io.BytesIO()
    doc.save(buf)
    progress(total, total, "sections")
    return buf.getvalue()


def workshop_docx(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """The workshop report as a Word document; ``progress`` hears of each chapter written."""
    with speaking(lang or report["workshop"].get("language")) as lang:
        content = write(build(report, lang), lang, report["workshop"], progress)
    return Export(content, DOCX_MIME, "docx")

