"""A whole workshop in real browsers: facilitator console, projector and two phones.

Brainstorm → dot vote over its ideas → ranking of the dot vote's top ideas → CSV export,
with every outcome computed here from what the participants clicked.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.devices import DESKTOP, PHONE, PROJECTOR

pytestmark = pytest.mark.e2e

LIVE = 10_000  # ms for something to arrive over Socket.IO


# --- facilitator ------------------------------------------------------------------------------

def log_in(page, server) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/f/$"))


def create_workshop(page, title: str) -> str:
    page.get_by_role("link", name="New workshop").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Date").fill("2025-03-14")
    page.get_by_role("combobox", name="Language").select_option("en")
    page.get_by_label("Description").fill("How can the health service, industry and research work together?")
    expect(page.get_by_label("Show participants' names with their ideas")).to_be_checked()
    page.get_by_role("button", name="Create workshop").click()
    expect(page).to_have_url(re.compile(r"/f/[A-Z0-9]{6}$"))
    expect(page.locator("#connection")).to_have_text("live", timeout=LIVE)
    return page.url.rsplit("/", 1)[1]


def add_round(page, kind: str, title: str, source: int | None = None, **settings: int) -> int:
    """Add a round with the console's form (``source`` is the id of the round it works over); returns its id."""
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
        field.fill(str(value))
    form.get_by_role("button", name="Add round").click()
    item = page.locator("#rounds li.round").filter(has=page.locator(".round-title strong").get_by_text(title, exact=True))
    expect(item).to_be_visible()
    expect(page.locator(".flash-error:visible")).to_have_count(0)
    expect(page.locator("#connection")).to_have_text("live", timeout=LIVE)
    return int(item.get_attribute("data-round-id"))


def round_action(page, round_id: int, button: str, state: str) -> None:
    item = page.locator(f'#rounds li[data-round-id="{round_id}"]')
    item.get_by_role("button", name=button, exact=True).click()
    expect(item.locator(".badge.state")).to_have_text(state, timeout=LIVE)
    expect(page.locator("#console-error")).to_be_hidden()


# --- participants -----------------------------------------------------------------------------

def join(context, code: str, name: str, organisation: str, sector: str, shot=None):
    page = context.new_page()
    page.goto(f"/w/{code}")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("Sector").select_option(sector)
    if shot:
        shot(page)
    page.get_by_role("button", name="Join").click()
    expect(page.locator(".phone-me")).to_have_text(f"{name} · {organisation}")
    expect(page.locator("#status")).to_have_text("Connected", timeout=LIVE)
    return page


def send_idea(page, title: str, details: str = "") -> None:
    page.locator("#idea-title").fill(title)
    if details:
        page.locator("#idea-details").fill(details)
    page.get_by_role("button", name="Send idea").click()
    expect(page.locator("#ideas li.mine", has_text=title)).to_be_visible(timeout=LIVE)
    expect(page.locator("#idea-title")).to_have_value("")


def vote_item(page, idea_id: int):
    return page.locator(f'#vote-list li[data-idea-id="{idea_id}"]')


def tap(page, idea_id: int, button: str, times: int = 1) -> None:
    """Tap an idea's + or − button, then wait until the server has every change."""
    for _ in range(times):
        vote_item(page, idea_id).locator(f".{button}").tap()
    expect(page.locator("#status")).to_have_text("Saved ✓", timeout=LIVE)


def rank_order(page) -> list[int]:
    return [int(x) for x in page.locator("#rank-list li").evaluate_all("els => els.map(e => e.dataset.ideaId)")]


def arrange(page, wanted: list[int]) -> None:
    """Put the ranking into ``wanted`` order with the up/down buttons."""
    for target, idea_id in enumerate(wanted):
        position = rank_order(page).index(idea_id)
        for _ in range(position - target):
            page.locator(f'#rank-list li[data-idea-id="{idea_id}"] .up').tap()
    expect(page.locator("#rank-list li")).to_have_count(len(wanted))
    assert rank_order(page) == wanted


def drag_to_top(page, idea_id: int) -> None:
    """Drag an idea by its handle above the first one, at a finger's pace (SortableJS animates each swap)."""
    page.locator("#rank-list").scroll_into_view_if_needed()
    handle = page.locator(f'#rank-list li[data-idea-id="{idea_id}"] .handle').bounding_box()
    first = page.locator("#rank-list li").first.bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    steps = 20
    for i in range(1, steps + 1):
        page.mouse.move(x, y + (first["y"] + 4 - y) * i / steps)
        page.wait_for_timeout(25)
    page.wait_for_timeout(250)
    page.mouse.up()


def submit_ranking(page) -> None:
    page.locator("#submit-ranking").tap()
    expect(page.locator("#ranking-saved")).to_be_visible(timeout=LIVE)


# --- expected results, computed the way the rules say ----------------------------------------

def standings(scores: dict[int, float], options: list[int]) -> list[tuple[str, int]]:
    """(rank label, idea id) in result order: competition ranks, ties kept in option order."""
    ordered = sorted(options, key=lambda o: (-scores[o], options.index(o)))
    out = []
    for o in ordered:
        rank = 1 + sum(1 for p in options if scores[p] > scores[o])
        tied = sum(1 for p in options if scores[p] == scores[o]) > 1
        out.append((f"{rank}=" if tied else str(rank), o))
    return out


def borda(ballots: list[list[int]], options: list[int]) -> dict[int, float]:
    n = len(options)
    points = {o: 0 for o in options}
    for ballot in ballots:
        for position, o in enumerate(ballot):
            points[o] += n - 1 - position
    return points


def scores_json(rows: list[tuple[str, float]]) -> str:
    """What display.js writes into #chart-box's data-scores (JSON.stringify of [title, score])."""
    return json.dumps([[t, s] for t, s in rows], separators=(",", ":"), ensure_ascii=False)


# --- the flow ---------------------------------------------------------------------------------

def test_workshop_from_brainstorm_to_exported_ranking(live_server, new_context, shots):
    server = live_server

    # The facilitator logs in on a laptop and creates the workshop.
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, server)
    code = create_workshop(fac, "Personalised medicine: working together")
    brainstorm = add_round(fac, "brainstorm", "Ideas")
    round_action(fac, brainstorm, "Open", "open")

    # The projector shows the join code and follows the workshop.
    proj = new_context("projector", **PROJECTOR).new_page()
    proj.goto(f"/w/{code}/display")
    expect(proj.locator("#round-title")).to_have_text("Ideas", timeout=LIVE)

    # Two participants join on their phones.
    kari = join(new_context("kari", **PHONE), code, "Kari Nordmann", "Oslo universitetssykehus", "health_service",
                shot=lambda page: shots(page, "phone-join"))
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    expect(proj.locator("#participant-count")).to_have_text("2", timeout=LIVE)
    expect(fac.locator("#participant-count")).to_have_text("2", timeout=LIVE)

    ideas = [
        (kari, "Shared genomic data platform", "One secure place for hospitals and researchers to share sequencing data."),
        (ola, "Joint funding calls", ""),
        (kari, "Patient-reported outcomes in every trial", ""),
        (ola, "Regulatory sandbox for diagnostics", ""),
        (kari, "Training in genetics for GPs", ""),
    ]
    titles = [t for _, t, _ in ideas]
    send_idea(*ideas[0])
    # Kari starts typing while Ola's idea arrives: her draft must survive the live update.
    kari.locator("#idea-title").fill("Patient-reported")
    send_idea(*ideas[1])
    expect(kari.locator("#ideas li", has_text=titles[1])).to_be_visible(timeout=LIVE)
    expect(kari.locator("#idea-title")).to_have_value("Patient-reported")
    for page, title, details in ideas[2:]:
        send_idea(page, title, details)

    # Everyone sees every idea live: both phones, the projector wall and the console.
    for page in (kari, ola):
        expect(page.locator("#ideas li")).to_have_count(len(ideas), timeout=LIVE)
    expect(proj.locator("#wall .sticky")).to_have_count(len(ideas), timeout=LIVE)
    for title in titles:
        expect(proj.locator("#wall .sticky", has_text=title)).to_be_visible()
    expect(proj.locator("#wall .sticky", has_text=titles[1])).to_contain_text("Ola Hansen")
    expect(fac.locator("#live-ideas li")).to_have_count(len(ideas), timeout=LIVE)
    expect(fac.locator("#live-ideas li", has_text=titles[0])).to_contain_text("One secure place for hospitals")
    expect(fac.locator("#live-meta")).to_have_text(f"{len(ideas)} ideas")
    shots(proj, "projector-wall")

    # Hiding an idea takes it off the wall and the phones; showing it again brings it back.
    console_idea = fac.locator("#live-ideas li", has_text=titles[4])
    console_idea.get_by_role("button", name="Hide").click()
    expect(proj.locator("#wall .sticky")).to_have_count(len(ideas) - 1, timeout=LIVE)
    expect(ola.locator("#ideas li", has_text=titles[4])).to_have_count(0, timeout=LIVE)
    expect(console_idea).to_have_class("hidden-idea")
    console_idea.get_by_role("button", name="Show").click()
    expect(proj.locator("#wall .sticky")).to_have_count(len(ideas), timeout=LIVE)
    expect(proj.locator("#wall .sticky").last).to_contain_text(titles[4])
    expect(ola.locator("#ideas li").first).to_contain_text(titles[4], timeout=LIVE)
    shots(kari, "phone-brainstorm")
    shots(fac, "console-brainstorm", full_page=True)

    # Dot vote over the brainstorm: 5 dots each, at most 3 on one idea.
    vote = add_round(fac, "dot_vote", "Vote for the best ideas", source=brainstorm, budget=5, cap=3)
    round_action(fac, vote, "Open", "open")
    for page in (kari, ola):
        expect(page.locator("#vote-list li")).to_have_count(len(ideas), timeout=LIVE)
        expect(page.locator("#dots-left")).to_have_text("5 of 5 dots left · at most 3 on one idea")
    ids = {title: int(kari.locator("#vote-list li", has_text=title).get_attribute("data-idea-id")) for title in titles}
    options = [ids[t] for t in titles]  # the order the ideas were submitted in
    i1, i2, i3, i4, i5 = options

    tap(kari, i1, "plus", 3)
    expect(vote_item(kari, i1).locator(".count")).to_have_text("3")
    expect(vote_item(kari, i1).locator(".plus")).to_be_disabled()  # at the cap of 3
    box = vote_item(kari, i1).locator(".plus").bounding_box()
    kari.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a 4th tap does nothing
    expect(vote_item(kari, i1).locator(".count")).to_have_text("3")
    tap(kari, i3, "plus", 2)
    expect(kari.locator("#dots-left")).to_have_text("0 of 5 dots left · at most 3 on one idea")
    for idea_id in options:  # every dot used: no + anywhere
        expect(vote_item(kari, idea_id).locator(".plus")).to_be_disabled()

    tap(ola, i2, "plus", 3)
    tap(ola, i2, "minus")
    tap(ola, i3, "plus")
    tap(ola, i4, "plus")
    expect(ola.locator("#dots-left")).to_have_text("1 of 5 dots left · at most 3 on one idea")
    shots(ola, "phone-dot-vote")
    tap(ola, i5, "plus")
    expect(vote_item(ola, i5).locator(".count")).to_have_text("1")
    expect(vote_item(ola, i4).locator(".plus")).to_be_disabled()  # over the budget

    dots = {i1: 3, i2: 2, i3: 2 + 1, i4: 1, i5: 1}
    title_of = {v: k for k, v in ids.items()}
    dot_result = standings(dots, options)
    expect(proj.locator("#chart-box")).to_be_visible(timeout=LIVE)
    expect(proj.locator("#chart-box")).to_have_attribute(
        "data-scores", scores_json([(title_of[o], dots[o]) for _, o in dot_result]), timeout=LIVE)
    expect(proj.locator("#round-meta")).to_have_text("2 have voted", timeout=LIVE)
    expect(fac.locator("#live-meta")).to_have_text("2 of 2 have voted", timeout=LIVE)
    expect(fac.locator("#live-tally .bar-row .title")).to_have_text([title_of[o] for _, o in dot_result], timeout=LIVE)
    shots(proj, "projector-chart")
    shots(fac, "console-dot-vote", full_page=True)

    # A reload keeps the participant and their dots.
    kari.reload()
    expect(kari.locator(".phone-me")).to_have_text("Kari Nordmann · Oslo universitetssykehus")
    expect(kari.locator("#dots-left")).to_have_text("0 of 5 dots left · at most 3 on one idea", timeout=LIVE)
    expect(vote_item(kari, i1).locator(".count")).to_have_text("3")
    expect(vote_item(kari, i3).locator(".count")).to_have_text("2")
    expect(vote_item(kari, i2).locator(".count")).to_have_text("0")

    round_action(fac, vote, "Close", "closed")
    expect(proj.locator("#final li .rank")).to_have_text([r for r, _ in dot_result], timeout=LIVE)
    expect(proj.locator("#final li .title")).to_have_text([title_of[o] for _, o in dot_result])
    expect(kari.locator("#stage")).to_contain_text("This round is closed.", timeout=LIVE)

    # Rank the top 3 of the dot vote (ranks 1=, 1=, 3).
    rank = add_round(fac, "rank", "Rank the top ideas", source=vote, top_k=3)
    round_action(fac, rank, "Open", "open")
    finalists = [o for r, o in dot_result if int(r.rstrip("=")) <= 3]
    assert finalists == [i1, i3, i2]
    for page in (kari, ola):
        expect(page.locator("#rank-list li")).to_have_count(len(finalists), timeout=LIVE)
        assert sorted(rank_order(page)) == sorted(finalists)

    kari_order = [i3, i1, i2]
    ola_order = [i3, i2, i1]
    arrange(kari, kari_order)
    submit_ranking(kari)
    shots(kari, "phone-rank")

    # Ola drags one idea by its handle, then finishes with the arrows.
    start = rank_order(ola)
    dragged = start[-1]
    shots(ola, "phone-before-drag")
    drag_to_top(ola, dragged)
    expect(ola.locator("#rank-list li").first).to_have_attribute("data-idea-id", str(dragged), timeout=LIVE)
    assert rank_order(ola) == [dragged] + start[:-1]
    arrange(ola, ola_order)
    submit_ranking(ola)
    # A reload shows the saved ranking, not a fresh shuffle.
    ola.reload()
    expect(ola.locator("#ranking-saved")).to_be_visible(timeout=LIVE)
    assert rank_order(ola) == ola_order

    points = borda([kari_order, ola_order], finalists)
    final = standings(points, finalists)
    assert [r for r, _ in final] == ["1", "2=", "2="]
    expect(proj.locator("#chart-box")).to_have_attribute(
        "data-scores", scores_json([(title_of[o], points[o]) for _, o in final]), timeout=LIVE)

    round_action(fac, rank, "Close", "closed")
    expect(proj.locator("#final li .rank")).to_have_text([r for r, _ in final], timeout=LIVE)
    expect(proj.locator("#final li .title")).to_have_text([title_of[o] for _, o in final])
    expect(proj.locator("#final li .score")).to_have_text([str(points[o]) for _, o in final])
    expect(proj.locator("#chart-box")).to_be_hidden()
    shots(proj, "projector-final")
    expect(kari.locator(".results li .title")).to_have_text([title_of[o] for _, o in final], timeout=LIVE)
    shots(kari, "phone-final")
    shots(fac, "console-final", full_page=True)

    # The console's CSV link gives the ranked list in that order.
    link = fac.locator(f'#rounds li[data-round-id="{rank}"] a', has_text="CSV")
    expect(link).to_be_visible()
    response = fac.request.get(link.get_attribute("href"))
    assert response.ok, response.status
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff"))))
    # Ideas carry their number in the workshop, as in the report, not a database id.
    assert rows[0] == ["Rank", "Tied", "Idea no.", "Idea", "Score"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        (r.rstrip("="), "yes" if r.endswith("=") else "", title_of[o]) for r, o in final
    ]
    assert all(r[2].isdigit() for r in rows[1:]) and len({r[2] for r in rows[1:]}) == len(final)
    assert [float(r[4]) for r in rows[1:]] == [points[o] for _, o in final]


def test_phone_shows_server_errors(live_server, new_context, shots):
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "Errors are shown")
    brainstorm = add_round(fac, "brainstorm", "Ideas")
    round_action(fac, brainstorm, "Open", "open")

    context = new_context("phone", **PHONE)
    phone = join(context, code, "Kari Nordmann", "Helse Vest", "health_service")
    expect(phone.locator("#idea-form, form.idea-form")).to_be_visible(timeout=LIVE)
    phone.locator("#idea-title").fill("   ")
    phone.get_by_role("button", name="Send idea").click()
    expect(phone.locator("#error")).to_have_text("Write your idea in the title field.", timeout=LIVE)
    shots(phone, "phone-error")
    expect(phone.locator("#ideas")).to_have_count(0)
    send_idea(phone, "A real idea")
    expect(phone.locator("#error")).to_be_hidden()

    # A code that cannot exist (O, I, L, 0 and 1 are never used), typed on the start page.
    start = context.new_page()
    start.goto("/")
    start.get_by_label("Workshop code").fill("oil-010")
    start.get_by_role("button", name="Join").click()
    expect(start.get_by_text("There is no workshop with that code")).to_be_visible()
    shots(start, "start-unknown-code")
    expect(start.get_by_label("Workshop code")).to_have_value("oil-010")
