"""The report as a print-ready PDF: the same blocks as the Word file, as HTML, rendered by WeasyPrint.

WeasyPrint is an optional extra: it needs Pango from the operating system. When it cannot be
imported or loaded, ``workshop_pdf`` raises ``ExportUnavailable`` with a sentence saying what to
install, and the download page or command shows that sentence instead of failing.

The HTML is made with Jinja2 with autoescaping on, so user text (a title with ``<script>`` or
``{{ }}``) is always text; and WeasyPrint may load nothing but the ``data:`` URIs of the charts.

The PDF is tagged (PDF/UA-1): headings, tables, lists and figures are marked as such, every
chart has its ``alt`` text, and the document's language is the workshop's. The archive variant
(``workshop_pdf_archive``) is PDF/A-2b, still tagged, for records that must open unchanged in
decades. Title, organisers (as author) and the workshop's date are the file's metadata.

Print rules: a heading stays with what follows it; a table of up to ``KEEP_ROWS`` rows is never
split, and stays on one page with the notes and chart that follow it; a longer table repeats its
header and never leaves its first or last two rows alone on a page; a paragraph leaves no fewer
than three lines on either page. Figures are numbered in order ("Figure 2: …"). Each page but
the first has the workshop's title (shortened) at the top and "Page 3 of 7" at the bottom; a
demo workshop's notice (``workshop.demo_notice``) is printed at the foot of every page.
"""
from __future__ import annotations

import base64
from typing import Any, Mapping

from flask_babel import lazy_gettext as _l
from jinja2 import Environment, select_autoescape

from app.exports import charts
from app.exports.charts import BRAND
from app.exports.document import EDGE_ROWS, KEEP_ROWS, build
from app.exports.labels import figure_caption, page_of, short_title, speaking, xml_safe
from app.exports.writers import Export, Progress, no_progress

PDF_MIME = "application/pdf"
#: WeasyPrint's PDF variant of each kind of PDF this writer makes.
VARIANTS = {"tagged": "pdf/ua-1", "archive": "pdf/a-2b"}


class ExportUnavailable(RuntimeError):
    """A format this server cannot write (its optional library is missing); the message says why,
    in the language of whoever reads it (``message``, a lazy message)."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def weasyprint_module():
    """The ``weasyprint`` module, or ``ExportUnavailable`` saying what is missing."""
    try:
        import weasyprint
    except ImportError:
        raise ExportUnavailable(_l(
            "PDF export needs WeasyPrint, which is not installed on this server. "
            "Install it with: pip install -r requirements.txt (the Word file has the same report)."
        )) from None
    except OSError as exc:  # Pango or one of its libraries is missing
        raise ExportUnavailable(_l(
            "PDF export needs the Pango library, which is missing on this server (%(reason)s). "
            "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "(the Word file has the same report).", reason=str(exc)
        )) from None
    return weasyprint


def available() -> tuple[bool, str]:
    """Whether PDFs can be written here, and if not, why."""
    try:
        weasyprint_module()
    except ExportUnavailable as exc:
        return False, str(exc)
    return True, ""


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal that no character of it can end."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;-–()" else f"\\{ord(ch):06x}" for ch in text) + '"'


CSS = """
@page {
  size: A4;
  margin: 24mm 22mm 22mm 22mm;
  @top-right { content: %(running)s; font-size: 8pt; color: #7a7f85; }
  @bottom-center { content: %(notice_line)s%(before)s counter(page) %(between)s counter(pages) %(after)s;
                   white-space: pre-wrap; text-align: center; font-size: 8.5pt; color: #5f6368; }
}
@page :first { @top-right { content: none; } @bottom-center { content: %(notice)s; } }
html { font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #222; }
body { margin: 0; }
h1, h2, h3 { color: %(brand)s; line-height: 1.2; break-after: avoid; break-inside: avoid; }
h1 { font-size: 17pt; margin: 0 0 10pt; break-before: page; }
h2 { font-size: 13pt; margin: 16pt 0 5pt; }
h3 { font-size: 11pt; margin: 11pt 0 3pt; color: #222; }
p, li, blockquote { orphans: 3; widows: 3; }
p { margin: 0 0 6pt; }
p.lead { font-size: 12pt; }
p.muted { color: #5f6368; font-size: 10pt; }
p.small { color: #5f6368; font-size: 9pt; }
.title-page { height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.title-page .kicker { color: %(brand)s; font-weight: bold; text-transform: uppercase; letter-spacing: 0.5pt; font-size: 11pt; margin-bottom: 6pt; }
.title-page .doc-title { color: %(brand)s; font-size: 26pt; font-weight: bold; line-height: 1.15; margin: 0 0 18pt; bookmark-level: none; }
.title-page .date { font-size: 13pt; margin-bottom: 24pt; }
.title-page .label { color: #5f6368; font-size: 10pt; margin: 0 0 2pt; }
.title-page .organisers { margin-bottom: 24pt; }
.title-page .facts { color: #5f6368; }
.title-page .made-with { color: #5f6368; font-size: 9pt; margin-top: 40pt; }
nav.toc h2 { font-size: 17pt; margin-top: 0; bookmark-level: none; }
nav.toc ul { list-style: none; padding: 0; margin: 0; }
nav.toc li { margin: 0 0 3pt; }
nav.toc li.l1 { font-weight: bold; margin-top: 5pt; break-after: avoid; }
nav.toc li.l2 { padding-left: 14pt; font-size: 10pt; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); font-weight: normal; }
.keep { break-inside: avoid; }
table { width: 100%%; border-collapse: collapse; font-size: 9.5pt; margin: 4pt 0 10pt; line-height: 1.3; }
table.keep, tbody.keep { break-inside: avoid; }
thead { display: table-header-group; }
th { background: %(brand)s; color: #fff; font-weight: bold; text-align: left; padding: 3.5pt 5pt; }
td { padding: 3.5pt 5pt; border-bottom: 0.5pt solid #b7c9c3; vertical-align: top; }
tr.even td { background: #eef4f2; }
tr { break-inside: avoid; }
td.right, th.right { text-align: right; }
td .sub { display: block; color: #5f6368; font-size: 8.5pt; margin-top: 2pt; font-weight: normal; }
td strong { font-weight: bold; }
table.facts { width: auto; min-width: 60%%; }
table.facts td { background: none !important; }
table.facts td:first-child { color: #5f6368; padding-right: 18pt; }
table.facts tr:first-child td { border-top: 0.5pt solid #b7c9c3; }
figure { margin: 6pt 0 12pt; break-inside: avoid; }
figure img { width: 100%%; }
figcaption { color: #5f6368; font-size: 9pt; font-style: italic; margin-top: 2pt; }
blockquote { margin: 4pt 0 0 0; padding: 1pt 0 1pt 10pt; border-left: 2.5pt solid %(brand)s; break-after: avoid; }
p.source { color: #5f6368; font-size: 9pt; margin: 1pt 0 8pt 12.5pt; }
ul.bullets { margin: 0 0 8pt; padding-left: 14pt; }
ul.bullets li { margin-bottom: 2pt; }
"""

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ title }}</title>
{%- if author %}<meta name="author" content="{{ author }}">{% endif %}
{%- if created %}<meta name="dcterms.created" content="{{ created }}">{% endif %}
<meta name="description" content="{{ subject }}"><meta name="generator" content="Tavle">
<style>{{ css|safe }}</style></head>
<body>
{%- macro table(b) %}
<table class="{{ b.kind }}{{ ' keep' if b.rows|length <= keep_rows }}">
  {%- if b.widths %}<colgroup>{% for w in b.widths %}<col style="width: {{ '%.1f'|format(100 * w / (b.widths|sum)) }}%">{% endfor %}</colgroup>{% endif %}
  {%- if b.kind != "facts" %}<thead><tr>{% for h in b.header %}<th scope="col" class="{{ b.align[loop.index0] }}">{{ h }}</th>{% endfor %}</tr></thead>{% endif %}
  {%- for group in b.row_groups %}
  <tbody{% if group.keep %} class="keep"{% endif %}>
  {%- for n, row in group.rows %}<tr{% if n is odd %} class="even"{% endif %}>{% for cell in row %}<td class="{{ b.align[loop.index0] }}">
    {%- if cell is mapping %}<strong>{{ cell.text }}</strong>{% if cell.sub %}<span class="sub">{{ cell.sub }}</span>{% endif %}
    {%- else %}{{ cell }}{% endif %}</td>{% endfor %}</tr>
  {%- endfor %}
  </tbody>
  {%- endfor %}
</table>
{%- endmacro %}
{%- macro block(b) %}
{%- if b.type == "title_page" %}
<section class="title-page">
  <div class="kicker">{{ b.kicker }}</div>
  <div class="doc-title">{{ b.title }}</div>
  {% if b.date %}<div class="date">{{ b.date }}</div>{% endif %}
  {% if b.organisers %}<p class="label">{{ b.organisers_label }}</p><p class="organisers">{{ b.organisers|join(" · ") }}</p>{% endif %}
  <p class="facts">{% for fact in b.facts %}{{ fact }}{% if not loop.last %} &nbsp;·&nbsp; {% endif %}{% endfor %}</p>
  <p class="made-with">{{ b.made_with }}</p>
</section>
{%- elif b.type == "toc" %}
<nav class="toc"><h2>{{ b.title }}</h2><ul>
{%- for level, text, anchor in b.entries %}<li class="l{{ level }}"><a href="#{{ anchor }}">{{ text }}</a></li>{% endfor %}
</ul></nav>
{%- elif b.type == "heading" %}
<h{{ b.level }} id="{{ b.anchor }}">{{ b.text }}</h{{ b.level }}>
{%- elif b.type == "paragraph" %}
<p class="{{ b.style }}">{{ b.text }}</p>
{%- elif b.type == "bullets" %}
<ul class="bullets">{% for item in b["items"] %}<li>{{ item }}</li>{% endfor %}</ul>
{%- elif b.type == "quote" %}
<blockquote>{{ b.text }}</blockquote>{% if b.source %}<p class="source">— {{ b.source }}</p>{% endif %}
{%- elif b.type == "chart" %}
<figure><img src="{{ b.src }}" alt="{{ b.alt or b.caption }}"><figcaption>{{ b.caption }}</figcaption></figure>
{%- elif b.type == "table" %}{{ table(b) }}
{%- elif b.type == "keep" %}
<div class="keep">{% for inner in b.blocks %}{{ block(inner) }}{% endfor %}</div>
{%- endif %}
{%- endmacro %}
{%- for b in blocks %}{{ block(b) }}{% endfor %}
</body>
</html>
"""

_env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_template = _env.from_string(TEMPLATE)


def _clean(value: Any) -> Any:
    """Text without characters HTML and PDF cannot carry (the same rule as the XML formats)."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_clean(v) for v in value)
    if isinstance(value, dict):
        return {k: (_clean(v) if k != "spec" else v) for k, v in value.items()}
    return value


def html(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> str:
    """The report as one self-contained HTML page (charts inlined as SVG).

    ``progress`` hears of each chapter (a level-1 heading) as its charts are drawn, counting one
    more step for the page layout that ``workshop_pdf`` does afterwards.
    """
    with speaking(lang or report["workshop"].get("language")) as lang:
        return _html(report, lang, progress)


#: The preview on a screen (the Report page): the page's width with chapters set apart by a rule
#: instead of a page break, and narrower margins on a phone.
SCREEN_CSS = """
html { background: #e9eeeb; }
body { background: #fff; max-width: 170mm; margin: 12px auto; padding: 14mm 14mm 20mm; overflow-wrap: anywhere;
       box-shadow: 0 1px 4px rgba(0,0,0,.15); }
h1 { border-top: 1px solid #b7c9c3; padding-top: 12pt; margin-top: 22pt; }
.title-page { height: auto; padding: 6mm 0 10mm; border-bottom: 1px solid #b7c9c3; }
nav.toc a::after { content: none; }
@media (max-width: 600px) { body { margin: 0; padding: 14px; box-shadow: none; } .title-page .doc-title { font-size: 20pt; } }
"""


def preview_html(report: Mapping[str, Any], lang: str | None = None) -> str:
    """The report as the PDF's HTML laid out for a screen, without making the PDF (the Report
    page's preview)."""
    with speaking(lang or report["workshop"].get("language")) as lang:
        return _html(report, lang, no_progress, extra_css=SCREEN_CSS)


def _row_groups(rows: list[Any]) -> list[dict[str, Any]]:
    """A table's rows as row groups (numbered, for the stripes): one for a short table (which is
    kept whole anyway), else the first and the last ``EDGE_ROWS`` kept together and the rest free."""
    numbered = list(enumerate(rows))
    if len(rows) <= KEEP_ROWS or len(rows) < 3 * EDGE_ROWS:
        return [{"rows": numbered, "keep": False}]
    return [{"rows": numbered[:EDGE_ROWS], "keep": True}, {"rows": numbered[EDGE_ROWS:-EDGE_ROWS], "keep": False},
            {"rows": numbered[-EDGE_ROWS:], "keep": True}]


def _keep_together(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The blocks with each short table, the small notes after it and its chart in one ``keep``
    block, so a table is never on one page and its chart on the next; the heading above the table
    (and one paragraph between them) goes with it. Notes and a chart without a short table
    before them are kept together too. A chapter's heading (level 1) starts a page anyway."""
    out: list[dict[str, Any]] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        start = i
        if b["type"] == "table" and b.get("kind") != "facts" and len(b["rows"]) <= KEEP_ROWS:
            i += 1
        j = i
        while j < len(blocks) and blocks[j]["type"] == "paragraph" and blocks[j].get("style") in ("small", "muted"):
            j += 1
        if j < len(blocks) and blocks[j]["type"] == "chart" and j > start:
            # The heading above (and the one paragraph between it and the table) go along.
            lead: list[dict[str, Any]] = []
            if out and out[-1]["type"] == "paragraph" and len(out) > 1 and out[-2]["type"] == "heading":
                lead.insert(0, out.pop())
            while out and out[-1]["type"] == "heading" and out[-1]["level"] > 1:
                lead.insert(0, out.pop())
            out.append({"type": "keep", "blocks": lead + blocks[start:j + 1]})
            i = j + 1
            continue
        out.append(b)
        i = start + 1
    return out


def _html(report: Mapping[str, Any], lang: str, progress: Progress, extra_css: str = "") -> str:
    blocks = []
    built = build(report, lang)
    total = sum(1 for b in built if b["type"] == "heading" and b["level"] == 1) + 1
    done = 0
    figures = 0
    progress(done, total, "sections")
    for b in built:
        if b["type"] == "heading" and b["level"] == 1:
            if done:
                progress(done, total, "sections")
            done += 1
        if b["type"] == "chart":
            figures += 1
            svg = charts.render(b["spec"], "svg")
            b = {**b, "src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
                 "caption": figure_caption(figures, b["caption"])}
        if b["type"] == "table":
            b = {**b, "row_groups": _row_groups(b["rows"])}
        blocks.append(_clean(b))
    ws = report["workshop"]
    title = xml_safe(ws["title"])
    notice = " ".join(xml_safe(ws.get("demo_notice") or "").split())
    before, between, after = page_of()
    css = CSS % {"running": _css_string(short_title(title)), "before": _css_string(before),
                 "between": _css_string(between), "after": _css_string(after), "brand": BRAND,
                 "notice": _css_string(notice) if notice else "none",
                 "notice_line": _css_string(notice + "\n") + " " if notice else ""} + extra_css
    kicker = next((b["kicker"] for b in blocks if b["type"] == "title_page"), "")
    page = _template.render(blocks=_keep_together(blocks), lang=lang, title=title, css=css, keep_rows=KEEP_ROWS,
                            author=", ".join(xml_safe(o) for o in ws.get("organisers") or []),
                            created=str(ws.get("date") or "")[:10], subject=kicker)
    progress(total - 1, total, "sections")
    return page


def workshop_pdf(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress,
                 variant: str = "tagged") -> Export:
    """The workshop report as a tagged PDF (PDF/UA-1), or with ``variant="archive"`` as PDF/A-2b
    (raises ``ExportUnavailable`` without WeasyPrint)."""
    weasyprint = weasyprint_module()
    steps = {"total": 1}

    def relay(done: int, total: int, label: str) -> None:
        steps["total"] = total
        progress(done, total, label)

    page = html(report, lang, relay)
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"})
    document = weasyprint.HTML(string=page, url_fetcher=fetcher, base_url=None)
    content = document.write_pdf(pdf_variant=VARIANTS[variant], pdf_tags=True)
    progress(steps["total"], steps["total"], "sections")
    return Export(content, PDF_MIME, "pdf")


def workshop_pdf_archive(report: Mapping[str, Any], lang: str | None = None, progress: Progress = no_progress) -> Export:
    """The workshop report as an archive PDF (PDF/A-2b, tagged)."""
    return workshop_pdf(report, lang, progress, variant="archive")
