"""Live updates keep the keyboard focus: a phone's view refreshes in place (kinds/index.js).

Each test marks the focused button in the page, lets an update arrive (the same participant
votes from a second tab, so the server sends this phone a ``ballot``; another participant votes,
so a tally goes out), waits until the phone shows it, and asserts the marked button, the same
element and not a new one drawn in its place, still has the focus.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.devices import DESKTOP, PHONE
from tests.e2e.test_day_rounds import add_round, brainstorm_three, saved
from tests.e2e.test_workshop_flow import LIVE, create_workshop, join, log_in, rank_order, round_action

pytestmark = pytest.mark.e2e

TITLES = ["Shared genomic data platform", "Joint funding calls", "Training in genetics for GPs"]


def mark_focus(page, selector: str) -> None:
    """Focus the element at ``selector`` and mark it, so a redrawn copy cannot pass for it."""
    page.locator(selector).focus()
    page.locator(selector).evaluate("el => { el.dataset.focusProbe = 'yes'; }")
    assert page.evaluate("() => document.activeElement.dataset.focusProbe") == "yes"


def still_focused(page) -> bool:
    return page.evaluate("() => Boolean(document.activeElement && document.activeElement.dataset.focusProbe === 'yes')")


def room(live_server, new_context):
    fac = new_context("console", **DESKTOP).new_page()
    log_in(fac, live_server)
    code = create_workshop(fac, "Focus through live updates")
    kari_context = new_context("kari", **PHONE)
    kari = join(kari_context, code, "Kari Nordmann", "Oslo universitetssykehus", "health_service")
    ola = join(new_context("ola", **PHONE), code, "Ola Hansen", "Biotek AS", "industry")
    brainstorm = brainstorm_three(fac, kari, ola, TITLES)
    return fac, code, kari_context, kari, ola, brainstorm


def second_tab(context, code: str):
    tab = context.new_page()
    tab.goto(f"/w/{code}")
    expect(tab.locator("#status")).to_have_text("Connected", timeout=LIVE)
    return tab


def test_a_dot_votes_plus_keeps_focus_through_ballot_and_tally(live_server, new_context):
    fac, code, kari_context, kari, ola, brainstorm = room(live_server, new_context)
    vote = add_round(fac, "dot_vote", "Vote", source=brainstorm, budget=5, cap=3)
    round_action(fac, vote, "Open", "open")
    expect(kari.locator("#vote-list li")).to_have_count(3, timeout=LIVE)
    first, other = (int(kari.locator("#vote-list li").nth(i).get_attribute("data-idea-id")) for i in (0, 1))
    plus = f'#vote-list li[data-idea-id="{first}"] .plus'

    # A dot from the keyboard: the answer to it redraws the list.
    mark_focus(kari, plus)
    kari.keyboard.press("Enter")
    saved(kari)
    expect(kari.locator(f'#vote-list li[data-idea-id="{first}"] .count')).to_have_text("1")
    assert still_focused(kari), "the + lost the focus when its own ballot came back"

    # The same participant votes in a second tab: the server sends this phone the new ballot.
    tab = second_tab(kari_context, code)
    tab.locator(f'#vote-list li[data-idea-id="{other}"] .plus').tap()
    saved(tab)
    expect(kari.locator(f'#vote-list li[data-idea-id="{other}"] .count')).to_have_text("1", timeout=LIVE)
    assert still_focused(kari), "the + lost the focus when a ballot arrived"

    # Another participant votes: a tally goes out to the room.
    ola.locator(f'#vote-list li[data-idea-id="{first}"] .plus').tap()
    saved(ola)
    expect(fac.locator("#live-meta")).to_have_text("2 of 2 have voted", timeout=LIVE)
    kari.wait_for_timeout(300)
    assert still_focused(kari), "the + lost the focus when a tally arrived"


def test_a_rankings_move_buttons_keep_focus_through_a_ballot(live_server, new_context):
    fac, code, kari_context, kari, ola, brainstorm = room(live_server, new_context)
    rank = add_round(fac, "rank", "Rank", source=brainstorm)
    round_action(fac, rank, "Open", "open")
    expect(kari.locator("#rank-list li")).to_have_count(3, timeout=LIVE)
    order = rank_order(kari)

    # Moving an idea down from the keyboard: the button moves with its idea and keeps the focus.
    down = f'#rank-list li[data-idea-id="{order[0]}"] .down'
    mark_focus(kari, down)
    kari.keyboard.press("Enter")
    assert rank_order(kari) == [order[1], order[0], order[2]]
    assert still_focused(kari), "the down button lost the focus when its idea moved"

    # Saved from the second tab in another order: this phone's unsaved order stays, and so does the focus.
    tab = second_tab(kari_context, code)
    expect(tab.locator("#rank-list li")).to_have_count(len(order), timeout=LIVE)
    saved_order = rank_order(tab)
    tab.locator("#submit-ranking").tap()
    expect(tab.locator("#ranking-saved")).to_be_visible(timeout=LIVE)
    kari.wait_for_timeout(500)
    assert rank_order(kari) == [order[1], order[0], order[2]]
    assert still_focused(kari), "the down button lost the focus when a ballot arrived"

    # Saved here, then a new order saved in the second tab: this phone takes it in place.
    kari.locator("#submit-ranking").tap()
    expect(kari.locator("#ranking-saved")).to_be_visible(timeout=LIVE)
    expect(tab.locator("#rank-list li").first).to_have_attribute("data-idea-id", str(order[1]), timeout=LIVE)
    up = f'#rank-list li[data-idea-id="{order[0]}"] .up'
    mark_focus(kari, up)
    tab.locator(f'#rank-list li[data-idea-id="{order[2]}"] .up').tap()
    tab.locator(f'#rank-list li[data-idea-id="{order[2]}"] .up').tap()
    wanted = rank_order(tab)
    tab.locator("#submit-ranking").tap()
    expect(tab.locator("#ranking-saved")).to_be_visible(timeout=LIVE)
    expect(kari.locator("#rank-list li").first).to_have_attribute("data-idea-id", str(wanted[0]), timeout=LIVE)
    assert rank_order(kari) == wanted
    assert still_focused(kari), "the up button lost the focus when a saved ranking arrived"
    assert saved_order  # the second tab had the ideas to rank
