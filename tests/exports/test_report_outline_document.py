"""The document follows the report's outline: order, titles, what is left out, the executive page,
syntheses, next steps, appendices, hostile text; and the demo's section order (golden)."""
from __future__ import annotations

import copy

import pytest

from app.exports.docx_writer import workshop_docx
from app.exports.document import build, plain_text
from app.exports.pdf_writer import html, preview_html
from tests.support.report_data import docx_text, sample_report

pytestmark = pytest.mark.usefixtures("ctx")


def section(kind, title=None, **fields):
    return {"id": None, "kind": kind, "title": title, "level": 1, "included": True, "body": "", "role": None,
            "round_id": None, "survey_id": None, "agenda_item_id": None, **fields}


def outlined(lang="en", sections=None):
    """The sample report with an outline as ``reporting`` gives one."""
    report = sample_report(lang)
    report["options"] = {"final_round": 2, "recommended": 3, "chosen": False}
    report["outline"] = sections if sections is not None else [
        section("summary", "Summary"),
        section("introduction", "Introduction", body="Why we met.\n\nWhat we wanted:\n- one thing\n- another"),
        section("background", "Background"),
        section("text", "Introductory talks", role="talks"),
        section("talk", "Welcome", level=2, agenda_item_id=1, start="09:00", duration=30, who="Org A", body="Hello all."),
        section("round", "Ideas", round_id=1),
        section("round", "Dots", round_id=2),
        section("round", "Measures", round_id=3, syntheses={"1": "Nobody starred, but all agreed."}),
        section("round", "Work it out", round_id=4),
        section("survey", "Survey: Evaluation", survey_id=1),
        section("conclusion", "Conclusion", body="It went well."),
        section("next_steps", "Next steps", rows=[{"action": "Meet again", "owner": "Org B", "when": "Autumn"}]),
        section("agenda", "Agenda"),
        section("participants", "Participants"),
        section("method", "Method"),
    ]
    return report


def headings(blocks, level=None):
    return [b["text"] for b in blocks if b["type"] == "heading" and (level is None or b["level"] == level)]


def toc(blocks):
    return [text for _level, text, _anchor in next(b for b in blocks if b["type"] == "toc")["entries"]]


def test_the_outline_gives_the_chapters_their_order_and_numbers():
    blocks = build(outlined())
    assert headings(blocks, 1) == [
        "1 Summary", "2 Introduction", "3 Introductory talks", "4 Ideas", "5 Dots", "6 Measures", "7 Work it out",
        "8 Survey: Evaluation", "9 Conclusion", "10 Next steps", "Appendix 1: Agenda", "Appendix 2: Participants",
        "Appendix 3: Method"]
    assert "3.1 Welcome" in headings(blocks, 2)
    # The empty background is left out; the introduction's text is paragraphs and a list.
    text = plain_text(blocks)
    assert not any(h.endswith(" Background") for h in headings(blocks))
    assert "Why we met." in text and {"type": "bullets", "items": ["one thing", "another"]} in blocks
    # The talk: its agenda time and who as a muted line, then its text.
    at = blocks.index(next(b for b in blocks if b.get("text") == "3.1 Welcome"))
    assert blocks[at + 1] == {"type": "paragraph", "text": "09:00–09:30 · Org A", "style": "muted"}
    assert blocks[at + 2]["text"] == "Hello all."
    assert toc(blocks)[:5] == ["1 Summary", "2 Introduction", "3 Introductory talks", "3.1 Welcome", "4 Ideas"]


def test_renamed_reordered_and_left_out_sections_show_in_the_blocks_and_the_contents():
    report = outlined()
    sections = report["outline"]
    dots = next(s for s in sections if s.get("round_id") == 2)
    dots["title"] = "How we prioritised"
    dots["body"] = "We used dots."
    ideas = next(s for s in sections if s.get("round_id") == 1)
    ideas["included"] = False
    conclusion = next(s for s in sections if s["kind"] == "conclusion")
    sections.remove(conclusion)
    sections.insert(1, conclusion)
    agenda = next(s for s in sections if s["kind"] == "agenda")
    sections.remove(agenda)
    sections.append(agenda)
    blocks = build(report)
    chapters = headings(blocks, 1)
    assert chapters[:3] == ["1 Summary", "2 Conclusion", "3 Introduction"]
    assert "5 How we prioritised" in chapters and not any(c.endswith(" Ideas") for c in chapters)
    assert chapters[-3:] == ["Appendix 1: Participants", "Appendix 2: Method", "Appendix 3: Agenda"]
    assert toc(blocks)[1] == "2 Conclusion" and "5 How we prioritised" in toc(blocks)
    # The organisers' text comes first in the round's chapter, the round's own content after it.
    at = blocks.index(next(b for b in blocks if b.get("text") == "5 How we prioritised"))
    assert [b.get("text") for b in blocks[at + 1:at + 3]] == ["Dot vote · Over: Ideas", "We used dots."]
    # The vote names its counting rule and points to the method appendix by its new number.
    assert blocks[at + 3]["text"] == ("Counted by dot voting. The method, its parameters and how ties are handled are "
                                      "described in “Appendix 2: Method”.")


def test_a_chapter_left_out_takes_its_sections_and_an_empty_one_shows_only_with_them():
    report = outlined()
    talk = next(s for s in report["outline"] if s["kind"] == "talk")
    talk["body"] = ""
    assert "3 Introductory talks" not in headings(build(report))
    talk["body"] = "Said."
    chapter = next(s for s in report["outline"] if s["kind"] == "text")
    chapter["included"] = False
    blocks = build(report)
    assert not any(h.endswith("Introductory talks") or h.endswith("Welcome") for h in headings(blocks))


def test_the_executive_page_recommends_the_top_of_the_chosen_round_without_its_table_again():
    report = outlined()
    blocks = build(report)
    start = blocks.index(next(b for b in blocks if b.get("text") == "1 Summary"))
    end = blocks.index(next(b for b in blocks if b.get("text") == "2 Introduction"))
    page = blocks[start:end]
    text = plain_text(page)
    assert "Recommended ideas" in text and "Key figures" in text
    # Top 3 of "Dots": place 1, then two ideas sharing place 2, marked as such.
    listed = [b["text"] for b in page if b["type"] == "paragraph" and b["text"][:2] in ("1.", "2=", "4.")]
    assert listed == ["1. Shared data platform", "2= Pre-competitive arena", "2= National driving force"]
    assert "= marks a shared place: those ideas had equal results." in text
    # Headline figures; the next steps as a short list; no results table and no chart here.
    assert "5 participants from 2 organisations took part." in text
    figures = next(b for b in page if b["type"] == "table")
    assert figures["kind"] == "facts" and ["Ideas", "4"] in figures["rows"] and ["Votes held", "1"] in figures["rows"]
    assert ["Ballots in the final vote", "4 of 5 participants (80%)"] in figures["rows"]
    assert {"type": "bullets", "items": ["Meet again — Org B, Autumn"]} in page
    assert not any(b["type"] == "chart" for b in page) and not any(b["type"] == "table" and b["kind"] == "data" for b in page)
    # The final list's table and chart are in its round's chapter, once.
    assert sum(1 for b in blocks if b["type"] == "chart" and b["caption"] == "Dots") == 1
    assert sum(1 for b in blocks if b["type"] == "table" and b["header"][:3] == ["Rank", "Idea", "Score"]) == 1


def test_without_the_method_appendix_a_vote_tells_its_method_itself():
    report = outlined()
    next(s for s in report["outline"] if s["kind"] == "method")["included"] = False
    blocks = build(report)
    assert headings(blocks, 1)[-2:] == ["Appendix 1: Agenda", "Appendix 2: Participants"]
    at = blocks.index(next(b for b in blocks if b.get("text") == "5 Dots"))
    assert [b["text"] for b in blocks[at + 2:at + 4]] == [
        "Counted by dot voting.", "Each participant had 5 dots, at most 3 on one idea."]
    assert "are described in" not in plain_text(blocks) and "Appendix 3" not in plain_text(blocks)


def test_the_number_recommended_and_a_tie_at_the_cut():
    report = outlined()
    report["options"]["recommended"] = 1
    text = plain_text(build(report))
    assert "1. Shared data platform" in text and "2= Pre-competitive arena" not in text
    report["options"]["recommended"] = 2
    blocks = build(report)
    text = plain_text(blocks)
    # Place 2 is shared: both ideas there are listed, and the page says why there are three.
    assert "2= National driving force" in text and "Ideas sharing place 2 are all listed, so there are 3 here." in text
    report["final"] = None
    assert "No vote has been closed yet." in plain_text(build(report))


def test_a_synthesis_replaces_the_empty_quotes_sentence_and_comes_before_quotes():
    report = outlined()
    blocks = build(report)
    text = plain_text(blocks)
    assert "Nobody starred, but all agreed." in text
    two = blocks.index(next(b for b in blocks if b.get("text", "").endswith("Measure two")))
    assert blocks[two + 2]["text"] == "Nobody starred, but all agreed."
    assert "No comments were starred for this item." not in text
    # With starred comments too: the synthesis, then the quotes.
    measures = next(s for s in report["outline"] if s.get("round_id") == 3)
    measures["syntheses"] = {"0": "One thing stood out."}
    blocks = build(report)
    one = blocks.index(next(b for b in blocks if b.get("text", "").endswith("Measure one")))
    assert blocks[one + 2]["text"] == "One thing stood out." and blocks[one + 3]["type"] == "quote"
    assert "No comments were starred for this item." in plain_text(blocks)  # measure two has neither now


def test_next_steps_are_a_table_and_an_empty_section_is_left_out():
    report = outlined()
    blocks = build(report)
    table = next(b for b in blocks if b["type"] == "table" and b["header"] == ["Action", "Who", "When"])
    assert table["rows"] == [["Meet again", "Org B", "Autumn"]]
    steps = next(s for s in report["outline"] if s["kind"] == "next_steps")
    steps["rows"] = []
    blocks = build(report)
    assert not any(h.endswith("Next steps") for h in headings(blocks, 1))
    assert not any(b["type"] == "bullets" and b["items"][0].startswith("Meet again") for b in blocks)


def test_norwegian_titles_of_a_report_without_an_outline():
    report = sample_report("nb")
    blocks = build(report)
    chapters = headings(blocks, 1)
    assert chapters[0] == "1 Sammendrag" and chapters[-3:] == ["Vedlegg 1: Program", "Vedlegg 2: Deltakerliste",
                                                                "Vedlegg 3: Metode"]
    assert "Anbefalte ideer" in plain_text(blocks) and "Nøkkeltall" in plain_text(blocks)


HOSTILE_TITLE = "<script>alert('t')</script> & {{ config }}"
HOSTILE_BODY = "<img src=x onerror=alert(1)>\n\n- <b>bold</b>"


def test_hostile_titles_and_bodies_are_text_in_every_format():
    report = outlined()
    intro = next(s for s in report["outline"] if s["kind"] == "introduction")
    intro.update(title=HOSTILE_TITLE, body=HOSTILE_BODY)
    next(s for s in report["outline"] if s["kind"] == "next_steps")["rows"] = [
        {"action": "=cmd|' /C calc'!A0", "owner": "<i>me</i>", "when": "{% now %}"}]
    for page in (html(copy.deepcopy(report)), preview_html(copy.deepcopy(report))):
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; {{ config }}" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
        assert "&lt;i&gt;me&lt;/i&gt;" in page and "{% now %}" in page
    text = docx_text(workshop_docx(copy.deepcopy(report)).content)
    assert "2 " + HOSTILE_TITLE in text and "<img src=x onerror=alert(1)>" in text and "<b>bold</b>" in text
    assert "=cmd|' /C calc'!A0" in text


# --- golden: the demo's report, in the order of the 2019 report -----------------------------------
def test_golden_demo_section_order(app):
    from app import transaction
    from app.demo import load_demo
    from app.services import reporting

    workshop = transaction.run(lambda: load_demo(None))
    blocks = build(reporting.workshop_report(workshop))
    assert headings(blocks, 1) == [
        "1 Sammendrag", "2 Introduksjon", "3 Innledende presentasjoner", "4 Handlingsplanens tiltak",
        "5 Idéer som krever nye samarbeidsformer for å lykkes", "6 Prioritering med prikker",
        "7 Rangering av de åtte beste idéene", "8 Fra idé til vellykket prosjekt", "9 Oppsummering av dagen og neste steg",
        "10 Spørreundersøkelse: Evaluering av workshopen", "11 Konklusjon", "12 Veien videre",
        "Vedlegg 1: Program", "Vedlegg 2: Deltakerliste", "Vedlegg 3: Metode",
    ]
    assert [h for h in headings(blocks, 2) if h.startswith("3.")] == [
        "3.1 Velkommen og bakgrunn for Handlingsplanen", "3.2 Handlingsplanen og oppfølging så langt",
        "3.3 Hvorfor trenger vi en næringsrettet innsats?",
        "3.4 Erfaringer fra og forutsetninger for framgangsrik offentlig-privat innovasjon", "3.5 Nye modeller for samhandling"]
    text = plain_text(blocks)
    # The executive page: the three recommended ideas of the ranking, in the published order.
    assert "1. Digitalt pakkeforløp for persontilpasset medisin\n2. Arena for pre-kompetitivt samarbeid\n" \
           "3. Nasjonalt pådrivermiljø for persontilpasset medisin\nTopp 3 er den samme med Schulze-metoden og prikker " \
           "(godkjenningsvalg)." in text
    # Every measure has a starred comment or a synthesis: the empty-quotes sentence is gone.
    assert "Ingen kommentarer ble valgt ut for dette punktet." not in text
    table = next(b for b in blocks if b["type"] == "table" and b["header"] == ["Tiltak", "Hvem", "Når"])
    assert len(table["rows"]) == 4 and all(all(cell for cell in row) for row in table["rows"])
