"""The rest of the day in real browsers: groups, agenda, comments and co-edited worksheets;
star ratings, points, pairwise comparison and impact/effort; an anonymous dot vote.

Every expected result is computed here from what the participants tapped.
"""
from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.devices import DESKTOP, PHONE, PROJECTOR
from tests.e2e.test_workshop_flow import LIVE, create_workshop, join, log_in, round_action, send_idea, standings

pytestmark = pytest.mark.e2e


def add_round(page, kind: str, title: str, source: int | None = None, **settings) -> int:
    """Add a round with the console's form; booleans tick boxes, strings fill text areas; returns its id."""
    form = page.locator("#round-form")
    if not form.is_visible():
        page.locator("details.add-round > summary").click()
    form.locator('select[name="kind"]').select_option(kind)
    form.locator('input[name="title"]').fill(title)
    if source is not None:
        form.locator('select[name="source_round_id"]').select_option(str(source))
    for name, value in settings.items():
        field = form.locator(f'[name="{name}"]')
        expect(field).to_be_visible()  # the form shows only the settings of the chosen kind
        if isinstance(value, bool):
            field.set_checked(value)
        elif field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))
    form.get_by_role("button", name="Add round").click()
    item = page.locator("#rounds li.round").filter(has=page.locator(".round-title strong").get_by_text(title, exact=True))
    expect(item).to_be_visible()
    expect(page.locator(".flash-error:visible")).to_have_count(0)
    expect(page.locator("#connection")).to_have_text("live", timeout=LIVE)
    return int(item.get_attribute("data-round-id"))


def chart_rows(page, attribute: str = "data-scores") -> list:
    raw = page.locator("#chart-box").get_attribute(attribute)
    return json.loads(raw) if raw else []


def expect_chart(page, rows: list, attribute: str = "data-scores") -> None:
    """Wait until the projector's chart holds ``rows`` ([title, number, …], numbers to 1e-6)."""
    deadline = time.monotonic() + LIVE / 1000
    while True:
        got = chart_rows(page, attribute)
        same = len(got) == len(rows) and all(
            g[0] == r[0] and all(abs(a - b) < 1e-6 for a, b in zip(g[1:], r[1:])) for g, r in zip(got, rows)
        )
        if same:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"projector chart {attribute}: {got!r}, expected {rows!r}")
        page.wait_for_timeout(100)


def saved(page) -> None:
    expect(page.locator("#status")).to_have_text("Saved ✓", timeout=LIVE)


def idea_ids(page, titles: list[str]) -> dict[str, int]:
    return {t: int(page.locator("#vote-list li", has_text=t).get_attribute("data-idea-id")) for t in titles}


def brainstorm_three(fac, kari, ola, titles) -> int:
    brainstorm = add_round(fac, "brainstorm", "Ideas")
    round_action(fac, brainstorm, "Open", "open")
    send_idea(kari, titles[0])
    send_idea(ola, titles[1])
    send_idea(kari, titles[2])
    expect(fac.locator("#live-ideas li")).to_have_count(3, timeout=LIVE)
    round_action(fac, brainstorm, "Close", "closed")
    return brainstorm


# --- (a) groups, agenda, comments and co-edited worksheets -------------------------------------

def test_groups_agenda_comments_and_worksheet_co_editing(live_server, new_context, shots):
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "Working out the top ideas")
    kari = join(new_context("kari", **PHONE), code, "Kari Nordmann", "Oslo universitetssykehus", "health_service")
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    expect(fac.locator("#connected-count")).to_have_text("2", timeout=LIVE)
    proj = new_context("projector", **PROJECTOR).new_page()
    proj.goto(f"/w/{code}/display")
    expect(proj.locator("#connected-count")).to_have_text("2", timeout=LIVE)

    # The agenda: two items; the console starts it and moves on; phones and projector follow.
    # The facilitator's other pages open in a browser of their own: a second tab would leave
    # the console in the background, where the browser slows its timers down.
    admin = new_context("admin", **DESKTOP).new_page()
    log_in(admin, live_server)
    admin.goto(f"/f/{code}/agenda")
    for start, title in (("09:00", "Welcome"), ("09:15", "Comments on the action plan"), ("10:00", "Group work on the top ideas")):
        admin.get_by_label("Start (HH:MM)").fill(start)
        admin.get_by_label("Title").fill(title)
        admin.get_by_role("button", name="Add", exact=True).click()
        expect(admin.locator("#agenda tbody tr", has_text=title)).to_be_visible()
    shots(admin, "facilitator-agenda", full_page=True)
    fac.get_by_role("button", name="Start the agenda").click()
    expect(kari.locator("#phone-agenda .agenda-now")).to_have_text("Now 09:00 Welcome", timeout=LIVE)
    expect(kari.locator("#phone-agenda .agenda-next")).to_have_text("Next 09:15 Comments on the action plan")
    fac.get_by_role("button", name="Next agenda item").click()
    expect(ola.locator("#phone-agenda .agenda-now")).to_have_text("Now 09:15 Comments on the action plan", timeout=LIVE)
    expect(proj.locator("#agenda-strip .agenda-next")).to_have_text("Next 10:00 Group work on the top ideas", timeout=LIVE)

    # Two more people come from a roster; the facilitator makes two cross-sector groups and
    # moves Ola to Kari's group.
    admin.goto(f"/f/{code}/people")
    admin.get_by_label("CSV file (name, organisation, sector, email)").set_input_files(files=[{
        "name": "roster.csv", "mimeType": "text/csv",
        "buffer": "name,organisation,sector\nPer Olsen,Universitetet i Oslo,research\nLiv Berg,Helsedirektoratet,government\n".encode(),
    }])
    admin.get_by_role("button", name="Import roster").click()
    expect(admin.get_by_text("Imported 2 participants.")).to_be_visible()
    admin.get_by_label("Number of groups").fill("2")
    admin.get_by_role("button", name="Make cross-sector groups").click()
    expect(admin.locator("#groups .group")).to_have_count(2)
    group_text = re.compile(r"^Group [12] · Table [12]$")
    expect(kari.locator("#phone-group")).to_have_text(group_text, timeout=LIVE)
    expect(ola.locator("#phone-group")).to_have_text(group_text, timeout=LIVE)
    kari_group = kari.locator("#phone-group").text_content().split(" · ")[0]
    if ola.locator("#phone-group").text_content().split(" · ")[0] != kari_group:
        row = admin.locator("#participants tbody tr", has_text="Ola Hansen")
        row.locator("select").select_option(label=kari_group)
        row.get_by_role("button", name="Move").click()
    expect(ola.locator("#phone-group")).to_have_text(f"{kari_group} · Table {kari_group[-1]}", timeout=LIVE)
    shots(admin, "facilitator-people", full_page=True)
    # The console counts connected phones per group (the roster people have not joined).
    expect(fac.locator(f'#presence-groups .group-count:has-text("{kari_group}:") strong')).to_have_text("2", timeout=LIVE)
    other_group = "Group 2" if kari_group == "Group 1" else "Group 1"
    expect(fac.locator(f'#presence-groups .group-count:has-text("{other_group}:") strong')).to_have_text("0")
    shots(kari, "phone-group-header")

    # Comments on two measures: live on the other phone, starred and hidden from the console.
    comments = add_round(fac, "comment", "Comments on the measures",
                         items="Joint calls for proposals\nShared infrastructure for health data")
    round_action(fac, comments, "Open", "open")
    expect(kari.locator(".comment-item")).to_have_count(2, timeout=LIVE)
    kari.locator("#comment-0").fill("Calls must leave room for new kinds of partnership.")
    kari.locator('.comment-item[data-item="0"]').get_by_role("button", name="Add comment").click()
    ola.locator("#comment-1").fill("Who pays for the infrastructure after the project?")
    ola.locator('.comment-item[data-item="1"]').get_by_role("button", name="Add comment").click()
    # Names are shown in this workshop: the comment is Kari's (her one-person organisation is not named).
    expect(ola.locator("#comments-0 li")).to_have_text(["Calls must leave room for new kinds of partnership.Kari Nordmann"], timeout=LIVE)
    expect(kari.locator("#comments-1 .comment-text")).to_have_text(["Who pays for the infrastructure after the project?"], timeout=LIVE)
    console_comment = fac.locator("#live-comments li", has_text="new kinds of partnership")
    console_comment.locator(".star-toggle").click()
    expect(console_comment.locator(".star-toggle")).to_have_attribute("aria-pressed", "true", timeout=LIVE)
    expect(kari.locator("#comments-0 li.starred")).to_have_count(1, timeout=LIVE)
    expect(proj.locator('#board .board-card[data-item="0"] .starred-list li')).to_contain_text("new kinds of partnership", timeout=LIVE)
    expect(proj.locator('#board .board-card[data-item="1"] .count')).to_have_text("1 comment")
    fac.locator("#live-comments li", has_text="Who pays").get_by_role("button", name="Hide").click()
    expect(kari.locator("#comments-1 .comment-text")).to_have_count(0, timeout=LIVE)
    expect(proj.locator('#board .board-card[data-item="1"] .count')).to_have_text("0 comments", timeout=LIVE)
    expect(fac.locator("#live-submitted")).to_have_text("Submitted: 2", timeout=LIVE)
    shots(kari, "phone-comments", full_page=True)
    shots(proj, "projector-comments")
    shots(fac, "console-comments", full_page=True)

    # Three ideas, a dot vote over them, closed: the worksheet round works out its top three.
    titles = ["Shared genomic data platform", "Joint funding calls", "Regulatory sandbox for diagnostics"]
    brainstorm = brainstorm_three(fac, kari, ola, titles)
    vote = add_round(fac, "dot_vote", "Vote", source=brainstorm, budget=3, cap=3)
    round_action(fac, vote, "Open", "open")
    expect(kari.locator("#vote-list li")).to_have_count(3, timeout=LIVE)
    ids = idea_ids(kari, titles)
    for _ in range(3):
        kari.locator(f'#vote-list li[data-idea-id="{ids[titles[0]]}"] .plus').tap()
    saved(kari)
    round_action(fac, vote, "Close", "closed")

    sheets_round = add_round(fac, "worksheet", "Work out the top three", source=vote, top_k=3)
    round_action(fac, sheets_round, "Open", "open")
    expect(fac.locator("#worksheets-link")).to_have_attribute("href", f"/f/{code}/rounds/{sheets_round}/worksheets")
    for page in (kari, ola):
        expect(page.locator(".worksheet")).to_have_count(3, timeout=LIVE)
    expect(proj.locator("#board .board-card")).to_have_count(3, timeout=LIVE)
    expect(proj.locator("#board .board-card .group-line")).to_have_text(["Group 1", "Group 2", "Group 1"])
    # Sheets go to the groups in turn: this group's are editable, the other group's read-only.
    mine = kari.locator("#my-worksheets .worksheet")
    expect(mine.first.locator(".sheet-group")).to_have_text(kari_group)
    expect(kari.locator("#other-worksheets textarea").first).to_have_attribute("readonly", "")
    expect(kari.locator("#my-worksheets textarea").first).not_to_have_attribute("readonly", "")
    field_id = mine.first.locator('textarea[data-key="idea"]').get_attribute("id")
    sheets_page = admin
    sheets_page.goto(f"/f/{code}/rounds/{sheets_round}/worksheets")
    expect(sheets_page.locator(f"#{field_id}")).to_have_value("")

    # Both type into the same field at once: one save wins, the other sees a visible conflict.
    # "At once" made certain however slow the machine: Ola is in the middle of typing (the field
    # focused, the text changed, not saved yet) before Kari's save can reach Ola's phone; then
    # Ola's phone saves, from the version it started with.
    texts = {kari: "A shared platform run by the hospitals.", ola: "Industry co-funds the platform."}
    ola.locator(f"#{field_id}").evaluate("(el, text) => { el.focus(); el.value = text; }", texts[ola])
    kari.locator(f"#{field_id}").fill(texts[kari])
    expect(kari.locator(".ws-field", has=kari.locator(f"#{field_id}")).locator(".field-status")).to_have_text(
        "Saved ✓", timeout=LIVE)
    ola.locator(f"#{field_id}").dispatch_event("input")
    conflict = {page: page.locator(".ws-field", has=page.locator(f"#{field_id}")).locator(".conflict") for page in (kari, ola)}
    deadline = time.monotonic() + LIVE / 1000
    while not any(box.is_visible() for box in conflict.values()):
        assert time.monotonic() < deadline, "neither phone showed the conflict"
        kari.wait_for_timeout(100)
    loser = kari if conflict[kari].is_visible() else ola
    winner = ola if loser is kari else kari
    expect(conflict[winner]).to_be_hidden()
    expect(conflict[loser].locator(".conflict-text")).to_have_text(texts[winner])
    expect(loser.locator(f"#{field_id}")).to_have_value(texts[loser])  # nothing typed is lost
    shots(loser, "phone-worksheet-conflict", full_page=True)
    merged = f"{texts[winner]}\n{texts[loser]}"
    loser.locator(f"#{field_id}").fill(merged)
    conflict[loser].get_by_role("button", name="Save my merged text").click()
    expect(conflict[loser]).to_be_hidden(timeout=LIVE)
    expect(loser.locator(".ws-field", has=loser.locator(f"#{field_id}")).locator(".field-status")).to_have_text("Saved ✓")
    expect(winner.locator(f"#{field_id}")).to_have_value(merged, timeout=LIVE)
    expect(sheets_page.locator(f"#{field_id}")).to_have_value(merged, timeout=LIVE)
    sheet_id = field_id.split("-")[1]  # ws-<sheet>-<key>
    expect(proj.locator(f'#board .board-card[data-worksheet-id="{sheet_id}"]')).to_contain_text("1 of 3 headings written", timeout=LIVE)
    shots(winner, "phone-worksheet", full_page=True)
    shots(sheets_page, "facilitator-worksheets", full_page=True)
    shots(proj, "projector-worksheets")
    shots(fac, "console-worksheets", full_page=True)

    # A follow-up survey: phones get a link to it while it is open.
    admin.goto(f"/f/{code}/surveys")
    admin.get_by_label("Title").fill("How was the day?")
    admin.get_by_role("button", name="Create").click()
    admin.get_by_label("Question").fill("How useful was the workshop?")
    admin.get_by_role("button", name="Add question").click()
    admin.get_by_role("button", name="Open survey").click()
    link = kari.locator("#survey-link")
    expect(link).to_have_text("Answer the survey: How was the day?", timeout=LIVE)
    shots(kari, "phone-survey-link")
    link.click()
    expect(kari.get_by_role("heading", name="How was the day?")).to_be_visible()


# --- (b) stars, points, pairwise and impact/effort ------------------------------------------

def test_score_points_pairwise_and_impact_effort(live_server, new_context, shots):
    from app.voting import METHODS

    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "Four ways to vote")
    kari = join(new_context("kari", **PHONE), code, "Kari Nordmann", "Oslo universitetssykehus", "health_service")
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    proj = new_context("projector", **PROJECTOR).new_page()
    proj.goto(f"/w/{code}/display")
    A, B, C = titles = ["Shared genomic data platform", "Joint funding calls", "Regulatory sandbox for diagnostics"]
    brainstorm = brainstorm_three(fac, kari, ola, titles)

    # Stars, 1–5: a tap rates, a second tap on the same star takes the rating back.
    score = add_round(fac, "score", "Rate the ideas", source=brainstorm, scale_min=1, scale_max=5)
    round_action(fac, score, "Open", "open")
    expect(kari.locator("#vote-list li")).to_have_count(3, timeout=LIVE)
    ids = idea_ids(kari, titles)
    star = lambda page, title, v: page.locator(f'#vote-list li[data-idea-id="{ids[title]}"] .star-btn[data-value="{v}"]')  # noqa: E731
    for title, v in ((A, 5), (B, 3), (C, 4)):
        star(kari, title, v).tap()
    for title, v in ((A, 4), (B, 3), (B, 3), (C, 2)):
        star(ola, title, v).tap()
    saved(kari)
    saved(ola)
    expect(star(kari, A, 5)).to_have_attribute("aria-pressed", "true")
    expect(star(kari, A, 4)).to_have_attribute("aria-pressed", "false")
    expect(star(ola, B, 3)).to_have_attribute("aria-pressed", "false")  # taken back
    means = {A: 4.5, B: 3.0, C: 3.0}
    expected = standings(means, titles)
    assert expected == [("1", A), ("2=", B), ("2=", C)]
    expect_chart(proj, [[t, means[t]] for _, t in expected])

    # The countdown: started on the console, on every screen; paused shows what is left.
    fac.locator("#timer-minutes").fill("5")
    fac.locator("#timer-start").click()
    for page in (kari, proj):
        expect(page.locator("#countdown .clock")).to_have_text(re.compile(r"^(5:00|4:5\d)$"), timeout=LIVE)
    shots(kari, "phone-stars")
    shots(proj, "projector-score")
    fac.locator("#timer-pause").click()
    expect(kari.locator("#countdown")).to_have_attribute("data-state", "paused", timeout=LIVE)
    expect(kari.locator("#countdown .clock-note")).to_have_text("paused")
    shots(fac, "console-score", full_page=True)
    fac.locator("#timer-clear").click()
    expect(kari.locator("#countdown")).to_be_hidden(timeout=LIVE)

    round_action(fac, score, "Close", "closed")
    expect(proj.locator("#final li .rank")).to_have_text([r for r, _ in expected], timeout=LIVE)
    expect(proj.locator("#final li .title")).to_have_text([t for _, t in expected])
    expect(proj.locator("#final li .score")).to_have_text(["4.5", "3.0", "3.0"])
    expect(proj.locator("#method-card")).to_contain_text("on a scale from 1 to 5")
    expect(kari.locator(".results li .rank")).to_have_text(["1", "2=", "2="], timeout=LIVE)
    expect(kari.locator("#method-card")).to_contain_text("average rating")
    shots(kari, "phone-score-results", full_page=True)

    # Points: 100 to share, never more (the phone stops at what is left).
    points = add_round(fac, "points", "Share 100 points", source=brainstorm, budget=100)
    round_action(fac, points, "Open", "open")
    expect(kari.locator("#points-left")).to_have_text("100 of 100 left", timeout=LIVE)
    number = lambda page, title: page.locator(f"#points-{ids[title]}")  # noqa: E731
    number(kari, A).fill("60")
    number(kari, A).press("Tab")
    saved(kari)
    number(kari, B).fill("70")  # only 40 are left
    expect(number(kari, B)).to_have_value("40")
    number(kari, B).press("Tab")
    expect(kari.locator("#points-left")).to_have_text("0 of 100 left")
    kari.locator(f"#points-range-{ids[C]}").fill("30")  # a slider with nothing left stays at 0
    expect(number(kari, C)).to_have_value("0")
    saved(kari)
    ola.locator(f"#points-range-{ids[A]}").fill("20")
    saved(ola)
    number(ola, C).fill("80")
    number(ola, C).press("Tab")
    saved(ola)
    expect(ola.locator("#points-left")).to_have_text("0 of 100 left")
    shots(kari, "phone-points")
    totals = {A: 80, B: 40, C: 80}
    expected = standings(totals, titles)
    expect_chart(proj, [[t, totals[t]] for _, t in expected])
    expect(fac.locator("#live-tally .bar-row .title")).to_have_text([t for _, t in expected], timeout=LIVE)
    round_action(fac, points, "Close", "closed")
    expect(proj.locator("#final li .rank")).to_have_text([r for r, _ in expected], timeout=LIVE)
    expect(proj.locator("#final li .score")).to_have_text([str(totals[t]) for _, t in expected])

    # Pairwise: two cards at a time; Kari prefers A > C > B, Ola C > A > B but skips his first pair.
    pairwise = add_round(fac, "pairwise", "Compare two at a time", source=brainstorm)
    round_action(fac, pairwise, "Open", "open")
    title_of = {v: k for k, v in ids.items()}
    comparisons = []

    def compare(page, preference, skip_first=False):
        for n in range(3):
            cards = page.locator("#pair .pair-card")
            expect(cards).to_have_count(2, timeout=LIVE)
            expect(cards.first).to_be_enabled(timeout=LIVE)
            pair = [int(x) for x in cards.evaluate_all("els => els.map(e => e.dataset.ideaId)")]
            if n == 0:
                shots(page, "phone-pairwise")
            if skip_first and n == 0:
                page.locator("#pair-skip").tap()
            else:
                winner = min(pair, key=lambda i: preference.index(title_of[i]))
                comparisons.append((winner, next(i for i in pair if i != winner)))
                page.locator(f'#pair .pair-card[data-idea-id="{winner}"]').tap()
            expect(page.locator("#pair-progress")).to_have_text(f"{n + (0 if skip_first else 1)} compared", timeout=LIVE)
        expect(page.locator("#pairs-done")).to_be_visible(timeout=LIVE)

    compare(kari, [A, C, B])
    compare(ola, [C, A, B], skip_first=True)
    assert len(comparisons) == 5
    result = METHODS["pairwise"](comparisons, [ids[t] for t in titles])
    expected_rows = [[title_of[s.option], s.score] for s in result.standings]
    expect_chart(proj, expected_rows)
    assert expected_rows[-1][0] == B  # nobody preferred it to anything
    shots(proj, "projector-pairwise")
    round_action(fac, pairwise, "Close", "closed")
    expect(proj.locator("#final li .title")).to_have_text([r[0] for r in expected_rows], timeout=LIVE)
    expect(proj.locator("#final li .score")).to_have_text([f"{round(100 * s.score)}%" for s in result.standings])

    # Impact and effort: two rows of buttons per idea, sent when both are chosen.
    ie = add_round(fac, "impact_effort", "Impact and effort", source=brainstorm, scale_min=1, scale_max=5)
    round_action(fac, ie, "Open", "open")
    expect(kari.locator("#vote-list li")).to_have_count(3, timeout=LIVE)

    def rate(page, title, impact=None, effort=None):
        item = page.locator(f'#vote-list li[data-idea-id="{ids[title]}"]')
        if impact is not None:
            item.locator(f'.ie-impact .scale-btn[data-value="{impact}"]').tap()
        if effort is not None:
            item.locator(f'.ie-effort .scale-btn[data-value="{effort}"]').tap()
        return item

    for title, i, e in ((A, 5, 2), (B, 2, 4), (C, 4, 4)):
        expect(rate(kari, title, i, e).locator(".ie-note")).to_have_text("Rated ✓")
    saved(kari)
    rate(ola, A, 4, 1)
    rate(ola, B, 1, 5)
    half = rate(ola, C, impact=5)  # no effort yet: nothing is sent for C
    expect(half.locator(".ie-note")).to_have_text("Now choose the effort")
    expect(half.locator('.ie-impact .scale-btn[data-value="5"]')).to_have_attribute("aria-pressed", "true")
    saved(ola)
    shots(ola, "phone-impact-effort", full_page=True)
    matrix = [[A, 4.5, 1.5], [C, 4.0, 4.0], [B, 1.5, 4.5]]  # by mean impact minus mean effort
    expect_chart(proj, matrix, "data-points")
    proj.wait_for_timeout(400)  # let the chart finish moving before the picture
    shots(proj, "projector-matrix")
    round_action(fac, ie, "Close", "closed")
    expect(proj.locator("#final li .title")).to_have_text([A, C, B], timeout=LIVE)
    expect(proj.locator("#final li .detail")).to_have_text(["Quick win", "Major project", "Thankless"])
    expect(proj.locator("#final li .score")).to_have_text(["4.5 / 1.5", "4.0 / 4.0", "1.5 / 4.5"])
    expect(proj.locator("#chart-box")).to_be_visible()  # the matrix stays beside the final list
    expect_chart(proj, matrix, "data-points")
    proj.wait_for_timeout(400)
    shots(proj, "projector-matrix-final")
    shots(fac, "console-impact-effort", full_page=True)


# --- (c) an anonymous dot vote --------------------------------------------------------------

def test_anonymous_dot_vote_is_sent_once(live_server, new_context, shots):
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "A secret ballot")
    kari_context = new_context("kari", **PHONE)
    kari = join(kari_context, code, "Kari Nordmann", "Oslo universitetssykehus", "health_service")
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    A, B, C = titles = ["Shared genomic data platform", "Joint funding calls", "Regulatory sandbox for diagnostics"]
    brainstorm = brainstorm_three(fac, kari, ola, titles)
    vote = add_round(fac, "dot_vote", "Secret dots", source=brainstorm, budget=3, cap=2, anonymous=True)
    expect(fac.locator(f'#rounds li[data-round-id="{vote}"] .badge', has_text="anonymous")).to_be_visible()
    round_action(fac, vote, "Open", "open")
    expect(kari.locator("#vote-list li")).to_have_count(3, timeout=LIVE)
    ids = idea_ids(kari, titles)
    second_tab = kari_context.new_page()  # the same participant in a second tab
    second_tab.goto(f"/w/{code}")
    expect(second_tab.locator("#submit-vote")).to_be_disabled(timeout=LIVE)  # nothing chosen yet

    # Dots are kept on the phone until "Submit my vote": the console sees no vote yet.
    kari.bring_to_front()
    submit = kari.locator("#submit-vote")
    expect(submit).to_be_disabled()
    for title, times in ((A, 2), (B, 1)):
        for _ in range(times):
            kari.locator(f'#vote-list li[data-idea-id="{ids[title]}"] .plus').tap()
    expect(kari.locator("#dots-left")).to_have_text("0 of 3 dots left · at most 2 on one idea")
    expect(fac.locator("#live-meta")).to_have_text("0 of 2 have voted")
    shots(kari, "phone-anonymous-draft", full_page=True)
    submit.tap()
    expect(kari.locator("#vote-in")).to_contain_text("Your anonymous vote is in.", timeout=LIVE)
    expect(kari.locator("#vote-list")).to_have_count(0)
    expect(kari.locator("#submit-vote")).to_have_count(0)
    shots(kari, "phone-anonymous-voted")
    # The other tab learns it at once; a reload shows the same.
    expect(second_tab.locator("#vote-in")).to_be_visible(timeout=LIVE)
    expect(second_tab.locator("#submit-vote")).to_have_count(0)
    kari.reload()
    expect(kari.locator("#vote-in")).to_be_visible(timeout=LIVE)
    second_tab.bring_to_front()

    expect(fac.locator("#live-meta")).to_have_text("1 of 2 has voted", timeout=LIVE)
    expect(fac.locator("#live-submitted")).to_have_text("Submitted: 1")
    # A secret vote shows only its count while open, on the console too: bars would show each ballot.
    expect(fac.locator("#live-tally .sealed")).to_contain_text("Secret vote: 1 voted so far", timeout=LIVE)
    expect(fac.locator("#live-tally .bar-row")).to_have_count(0)

    # A second ballot sent anyway (here straight from the outbox of the other tab) is refused.
    second_tab.evaluate("""([code, roundId, ideaId]) => {
      const key = `tavle-outbox:/participant:${code}`;
      const box = JSON.parse(localStorage.getItem(key) || '[]');
      box.push({ event: 'submit_ballot', payload: { round_id: roundId, ballot: { [ideaId]: 2 }, op_id: 'second-ballot-0123456789abcdef' } });
      localStorage.setItem(key, JSON.stringify(box));
    }""", [code, vote, ids[C]])
    second_tab.reload()
    expect(second_tab.locator("#status")).to_have_text("Not saved", timeout=LIVE)  # sent, answered, refused
    assert second_tab.evaluate(f"() => localStorage.getItem('tavle-outbox:/participant:{code}')") == "[]"
    fac.wait_for_timeout(300)
    expect(fac.locator("#live-meta")).to_have_text("1 of 2 has voted")
    expect(fac.locator("#live-tally .sealed")).to_contain_text("1 voted so far")
    shots(fac, "console-anonymous", full_page=True)

    proj = new_context("projector", **PROJECTOR).new_page()
    proj.goto(f"/w/{code}/display")
    expect(proj.locator("#round-meta")).to_have_text("1 has voted · Secret vote – the result is shown when the round closes", timeout=LIVE)
    expect(proj.locator("#final li")).to_have_count(0)
    round_action(fac, vote, "Close", "closed")
    expect(proj.locator("#final li .title")).to_have_text([A, B, C], timeout=LIVE)
    expect(proj.locator("#final li .score")).to_have_text(["2", "1", "0"])
    expect(proj.locator("#round-meta")).to_have_text("Final result · 1 has voted")


# --- the console: curation, the sector breakdown and a tie decided by the facilitator ----------

def test_curation_breakdown_and_facilitator_tie_break(live_server, new_context, shots):
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "Curating the wall")
    kari = join(new_context("kari", **PHONE), code, "Kari Nordmann", "Oslo universitetssykehus", "health_service")
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    proj = new_context("projector", **PROJECTOR).new_page()
    proj.goto(f"/w/{code}/display")
    brainstorm = add_round(fac, "brainstorm", "Ideas")
    round_action(fac, brainstorm, "Open", "open")
    for page, title in ((kari, "Genomic data platform"), (kari, "A shared platform for genomic data"),
                        (ola, "Joint funding calls"), (ola, "Regulatory sandbox")):
        send_idea(page, title)
    expect(proj.locator("#wall .sticky")).to_have_count(4, timeout=LIVE)
    idea = lambda title: fac.locator("#live-ideas li", has_text=title)  # noqa: E731
    ids = {t: int(idea(t).get_attribute("data-idea-id")) for t in ("Genomic data platform", "A shared platform for genomic data", "Joint funding calls", "Regulatory sandbox")}

    # Edit a title and give it a theme: the wall and the phones show the new title.
    R = ids["Regulatory sandbox"]
    fac.locator(f"#edit-{R}").click()
    fac.locator(f"#edit-title-{R}").fill("Regulatory sandbox for diagnostics")
    fac.locator(f"#edit-theme-{R}").fill("Regulation")
    fac.locator(f"#edit-save-{R}").click()
    expect(fac.locator(f'#live-ideas li[data-idea-id="{R}"] .badge.theme')).to_have_text("Regulation", timeout=LIVE)
    expect(fac.locator(f"#edit-{R}")).to_be_focused()
    expect(proj.locator("#wall .sticky", has_text="Regulatory sandbox for diagnostics")).to_be_visible(timeout=LIVE)
    expect(ola.locator("#ideas li", has_text="Regulatory sandbox for diagnostics")).to_be_visible(timeout=LIVE)

    # Merge the duplicate into the first idea; undo; merge again.
    A, dup = ids["Genomic data platform"], ids["A shared platform for genomic data"]

    def merge():
        fac.locator(f"#pick-{dup}").check()
        fac.locator(f"#pick-{A}").check()
        fac.locator("#merge-target").select_option(str(A))
        shots(fac, "console-merge")
        fac.locator("#merge-go").click()
        expect(fac.locator("#merges .merge-row")).to_have_text(["“A shared platform for genomic data” → “Genomic data platform”Undo"], timeout=LIVE)
        expect(proj.locator("#wall .sticky")).to_have_count(3, timeout=LIVE)
        expect(kari.locator("#ideas li")).to_have_count(3, timeout=LIVE)
        expect(fac.locator(f'#live-ideas li[data-idea-id="{dup}"]')).to_have_class("merged-idea")
        expect(fac.locator("#live-meta")).to_have_text("3 ideas, 1 merged")

    merge()
    fac.locator("#merges").get_by_role("button", name="Undo merging “A shared platform for genomic data”").click()
    expect(fac.locator("#merges .merge-row")).to_have_count(0, timeout=LIVE)
    expect(proj.locator("#wall .sticky")).to_have_count(4, timeout=LIVE)
    expect(kari.locator("#ideas li", has_text="A shared platform for genomic data")).to_be_visible(timeout=LIVE)
    merge()
    shots(fac, "console-curation", full_page=True)
    round_action(fac, brainstorm, "Close", "closed")

    # A dot vote that ends in a tie, sectors shown from one voter, ties decided by the facilitator.
    vote = add_round(fac, "dot_vote", "Vote", source=brainstorm, budget=2, cap=2, min_cell=1, tie_break="facilitator")
    round_action(fac, vote, "Open", "open")
    expect(kari.locator("#vote-list li")).to_have_count(3, timeout=LIVE)  # the merged duplicate is gone
    J = ids["Joint funding calls"]
    for page, target in ((kari, A), (kari, A), (ola, J), (ola, R)):
        page.locator(f'#vote-list li[data-idea-id="{target}"] .plus').tap()
    saved(kari)
    saved(ola)
    table = fac.locator("#breakdown table")
    expect(table.locator("thead th")).to_have_text(["Idea", "Health services (1 voter)", "Industry (1 voter)", "Consensus"], timeout=LIVE)
    # Support smoothed per sector, (s + 1) / (n + 2), and their geometric mean: each idea is
    # supported by one sector of two, so sqrt(2/3 · 1/3).
    expect(table.locator("td.consensus")).to_have_text([f"{round(100 * (2 / 9) ** 0.5)}%"] * 3)
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("1 2")
    round_action(fac, vote, "Close", "closed")
    ties = fac.locator("#tie-break .tie-order li .title")
    expect(ties).to_have_text(["Joint funding calls", "Regulatory sandbox for diagnostics"], timeout=LIVE)
    expect(proj.locator("#final li .rank")).to_have_text(["1", "2=", "2="], timeout=LIVE)
    fac.get_by_role("button", name="Move down: Joint funding calls").click()
    expect(ties).to_have_text(["Regulatory sandbox for diagnostics", "Joint funding calls"])
    shots(fac, "console-tie-break", full_page=True)
    fac.get_by_role("button", name="Decide the place 2 tie").click()
    expect(fac.locator("#tie-break")).to_have_count(0, timeout=LIVE)
    expect(proj.locator("#final li .rank")).to_have_text(["1", "2", "3"], timeout=LIVE)
    expect(proj.locator("#final li .title")).to_have_text(["Genomic data platform", "Regulatory sandbox for diagnostics", "Joint funding calls"])
    expect(proj.locator("#method-card")).to_contain_text("broken by the facilitator")
    expect(kari.locator(".results li .rank")).to_have_text(["1", "2", "3"], timeout=LIVE)


def test_anonymous_ballots_of_every_kind(live_server, new_context):
    """Each kind's whole ballot, built on the phone and sent once, is accepted and counted."""
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "Secret ballots of every kind")
    kari = join(new_context("kari", **PHONE), code, "Kari Nordmann", "Oslo universitetssykehus", "health_service")
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    A, B, C = titles = ["Shared genomic data platform", "Joint funding calls", "Regulatory sandbox for diagnostics"]
    brainstorm = brainstorm_three(fac, kari, ola, titles)
    item = lambda title: kari.locator("#vote-list li", has_text=title)  # noqa: E731

    def vote(kind, fill, expected, **settings):
        round_id = add_round(fac, kind, f"Secret {kind}", source=brainstorm, anonymous=True, **settings)
        round_action(fac, round_id, "Open", "open")
        expect(kari.locator("#submit-vote")).to_be_visible(timeout=LIVE)
        if kind != "rank":  # a ranking is complete from the start
            expect(kari.locator("#submit-vote")).to_be_disabled()
        fill()
        kari.locator("#submit-vote").tap()
        expect(kari.locator("#vote-in")).to_be_visible(timeout=LIVE)
        expect(fac.locator("#live-meta")).to_have_text("1 of 2 has voted", timeout=LIVE)
        # Sealed while open, on the console too; counted and shown once closed.
        expect(fac.locator("#live-tally .sealed")).to_contain_text("1 voted so far", timeout=LIVE)
        round_action(fac, round_id, "Close", "closed")
        expect(fac.locator("#live-tally .bar-row .title")).to_have_text(expected() if callable(expected) else expected, timeout=LIVE)

    def stars():
        item(B).locator('.star-btn[data-value="5"]').tap()
        item(C).locator('.star-btn[data-value="2"]').tap()
    vote("score", stars, [B, C, A], scale_min=1, scale_max=5)

    def points():
        kari.locator("#vote-list li", has_text=C).locator(".points-number").fill("70")
        kari.keyboard.press("Tab")
        kari.locator("#vote-list li", has_text=A).locator(".points-number").fill("30")
        kari.keyboard.press("Tab")
    vote("points", points, [C, A, B], budget=100)

    def pairs():
        for _ in range(3):
            cards = kari.locator("#pair .pair-card")
            expect(cards).to_have_count(2)
            shown = cards.all_text_contents()
            winner = min(shown, key=titles.index)  # A > B > C
            kari.locator("#pair .pair-card", has_text=winner).tap()
        expect(kari.locator("#pair-progress")).to_have_text("3 compared")
    vote("pairwise", pairs, [A, B, C])

    def matrix():
        for title, impact, effort in ((C, 5, 1), (A, 2, 5)):
            item(title).locator(f'.ie-impact .scale-btn[data-value="{impact}"]').tap()
            item(title).locator(f'.ie-effort .scale-btn[data-value="{effort}"]').tap()
    vote("impact_effort", matrix, [C, A, B], scale_min=1, scale_max=5)

    ranked: list[str] = []

    def ranking():
        while kari.locator("#rank-list li .title").all_text_contents()[0] != B:
            kari.locator("#rank-list li", has_text=B).locator(".up").tap()
        ranked.extend(kari.locator("#rank-list li .title").all_text_contents())
    # One ballot counted by Borda: the order on the phone is the result.
    vote("rank", ranking, lambda: ranked, top_k=3)
