"""Competition ranking, result serialisation, ballot errors, method cards."""

from __future__ import annotations

import json
import pickle

import pytest

from app.voting import (
    METHODS,
    BallotError,
    Result,
    Standing,
    borda,
    competition_ranks,
    dot_vote,
    impact_effort,
    instant_runoff,
    method_card,
    pairwise,
    points_vote,
    schulze,
    score_vote,
)

EXPECTED_METHODS = {"dots", "borda", "schulze", "irv", "score", "points", "pairwise", "impact_effort", "word_count"}


def test_competition_ranks_1_2_2_4() -> None:
    standings = competition_ranks({"a": 10, "b": 7, "c": 7, "d": 3}, ["a", "b", "c", "d"])
    assert [(s.option, s.rank, s.tied) for s in standings] == [
        ("a", 1, False),
        ("b", 2, True),
        ("c", 2, True),
        ("d", 4, False),
    ]
    assert [s.score for s in standings] == [10.0, 7.0, 7.0, 3.0]


def test_ties_follow_order_of_options() -> None:
    standings = competition_ranks({1: 7, 2: 10, 3: 7}, [3, 2, 1])
    assert [s.option for s in standings] == [2, 3, 1]
    assert [s.rank for s in standings] == [1, 2, 2]


def test_lower_is_better() -> None:
    standings = competition_ranks({"x": 1.0, "y": 2.0, "z": 1.0}, ["x", "y", "z"], higher_is_better=False)
    assert [(s.option, s.rank, s.tied) for s in standings] == [("x", 1, True), ("z", 1, True), ("y", 3, False)]


def test_float_noise_does_not_split_a_tie() -> None:
    a = 0.1 + 0.2  # 0.30000000000000004
    b = 0.3
    assert a != b
    standings = competition_ranks({"a": a, "b": b}, ["a", "b"])
    assert all(s.rank == 1 and s.tied for s in standings)
    assert standings[0].score == standings[1].score == 0.3


def test_unscored_options_rank_last_and_tied() -> None:
    standings = competition_ranks({"a": 1.0}, ["b", "a", "c"], extra={"b": {"count": 0}})
    assert [(s.option, s.rank, s.tied, s.score) for s in standings] == [
        ("a", 1, False, 1.0),
        ("b", 2, True, 0.0),
        ("c", 2, True, 0.0),
    ]
    assert standings[1].extra == {"count": 0}


def test_competition_ranks_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        competition_ranks({"a": 1}, ["a", "a"])
    with pytest.raises(ValueError):
        competition_ranks({"zz": 1}, ["a"])
    with pytest.raises(ValueError):
        competition_ranks({"a": float("nan")}, ["a"])


def test_ballot_error_carries_code_and_message() -> None:
    err = BallotError("over_budget", "You have used all 5 of your dots.")
    assert isinstance(err, ValueError)
    assert err.code == "over_budget"
    assert err.message == str(err) == "You have used all 5 of your dots."
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.code, clone.message) == (err.code, err.message)


def test_ballot_error_keeps_its_sentence_and_params_apart_for_translation() -> None:
    with pytest.raises(BallotError) as info:
        dot_vote([{10: 4}], [10, 20], budget=5, cap=3)
    err = info.value
    assert err.message == "You can put at most 3 dots on one idea."
    assert err.template == ("You can put at most %(num)s dot on one idea.", "You can put at most %(num)s dots on one idea.")
    assert err.params == {"num": 3}
    told = err.translated(lambda m, **p: "?", lambda s, pl, n, **p: f"{n}: " + (s if n == 1 else pl) % {"num": n, **p})
    assert told == "3: You can put at most 3 dots on one idea."
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.template, clone.params, clone.message) == (err.template, err.params, err.message)


def test_registry_names() -> None:
    assert set(METHODS) == EXPECTED_METHODS
    assert METHODS["dots"] is dot_vote
    assert METHODS["irv"] is instant_runoff


def _sample_results() -> list[Result]:
    opts = [10, 20, 30, 40]
    return [
        dot_vote([{10: 3, 20: 2}, {20: 3, 30: 1}], opts, budget=5, cap=3),
        points_vote([{10: 60, 40: 40}, {20: 100}], opts, budget=100),
        borda([[10, 20], [30, 10, 20, 40]], opts),
        schulze([[10, 20, 30, 40], [20, 10], [40]], opts),
        instant_runoff([[10, 20], [20, 10], [30, 20]], opts),
        score_vote([{10: 5, 20: 3}, {10: 4}], opts),
        pairwise([(10, 20), (20, 30), (10, 30)], opts),
        impact_effort([{10: (5, 1), 20: (2, 4)}], opts),
    ]


@pytest.mark.parametrize("result", _sample_results(), ids=lambda r: r.method)
def test_to_dict_from_dict_round_trip(result: Result) -> None:
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)  # strictly JSON-safe
    again = Result.from_dict(json.loads(text))
    assert again.standings == result.standings
    assert again.ranking == result.ranking
    assert again.params == result.params
    assert again.ballots == result.ballots
    assert again.method == result.method
    assert again.to_dict() == data
    # Option ids stay ints where they are values ...
    assert all(isinstance(s["option"], int) for s in data["standings"])
    # ... and explanation keys that were option ids became strings.
    assert all(isinstance(k, str) for k in json.loads(text)["explanation"])


def test_to_dict_stringifies_only_explanation_keys() -> None:
    result = borda([[1, 2, 3]], [1, 2, 3])
    data = result.to_dict()
    assert data["explanation"]["points"] == {"1": 2.0, "2": 1.0, "3": 0.0}
    assert [s["option"] for s in data["standings"]] == [1, 2, 3]


def test_tuple_option_ids_survive_round_trip() -> None:
    opts = [(1, "a"), (2, "b")]
    result = dot_vote([{(1, "a"): 2}], opts, budget=3, cap=3)
    again = Result.from_dict(json.loads(json.dumps(result.to_dict())))
    assert again.ranking == opts


def test_result_and_standing_are_frozen() -> None:
    result = dot_vote([{1: 1}], [1, 2], budget=1, cap=1)
    with pytest.raises(AttributeError):
        result.method = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.standings[0].rank = 9  # type: ignore[misc]
    assert isinstance(result.standings[0], Standing)


# ----------------------------------------------------------------- method cards

CARD_PARAMS = {
    "dots": {"budget": 5, "cap": 3},
    "points": {"budget": 100},
    "borda": {"partial": True},
    "schulze": {"partial": True},
    "irv": {"partial": True},
    "score": {"scale_min": 1, "scale_max": 5},
    "pairwise": {"iterations": 200},
    "impact_effort": {"scale_min": 1, "scale_max": 5},
    "word_count": {"max_words": 3},
}


def test_method_card_for_every_method_in_english_by_default() -> None:
    for method in sorted(EXPECTED_METHODS):
        text = method_card(method, CARD_PARAMS[method])
        sentences = [s for s in text.replace("e.g.", "eg").split(". ") if s.strip()]
        assert 2 <= len(sentences) <= 4, text
        assert text.endswith(".")
        assert "1, 2, 2, 4" in text  # every card says how ties are shown


def test_method_card_names_parameters() -> None:
    assert "Each participant had 5 dots, at most 3 on one idea." in method_card("dots", {"budget": 5, "cap": 3})
    assert "up to 50 points" in method_card("points", {"budget": 50})
    assert "from 0 to 10" in method_card("score", {"scale_min": 0, "scale_max": 10})
    assert "midpoint 2.5" in method_card("impact_effort", {"scale_min": 1, "scale_max": 4})
    assert "up to 1 word or short phrase." in method_card("word_count", {"max_words": 1})
    assert "up to 5 words or short phrases." in method_card("word_count", {"max_words": 5})


def test_method_card_writes_with_the_callables_it_is_given() -> None:
    # The package translates nothing itself: the caller's gettext, ngettext and number are used.
    seen = []

    def gettext(message, **params):
        seen.append(message)
        return "<" + (message % params if params else message) + ">"

    def ngettext(singular, plural, num, **params):
        seen.append((singular, plural, num))
        return "<" + (singular if num == 1 else plural) % {"num": num, **params} + ">"

    text = method_card("impact_effort", {"scale_min": 1, "scale_max": 4}, gettext=gettext, ngettext=ngettext,
                       number=lambda v: f"#{v}")
    assert "<Participants rated the impact and the effort of each idea on a scale from #1 to #4.>" in text
    assert "midpoint #2.5.>" in text
    text = method_card("dots", {"budget": 1, "cap": 1}, gettext=gettext, ngettext=ngettext, number=lambda v: f"#{v}")
    assert text.startswith("<Each participant had #1 dot to put on one idea.>")
    assert any(isinstance(m, tuple) and m[2] == 1 for m in seen)


def test_method_card_reports_tie_break() -> None:
    text = method_card("dots", {"budget": 5, "cap": 3, "tie_break": {"rule": "facilitator"}})
    assert "broken by the facilitator" in text
    assert "ranking from an earlier round" in method_card("borda", {"tie_break": "prior_round"})


def test_method_card_rejects_unknown() -> None:
    with pytest.raises(ValueError):
        method_card("plurality", {})


def test_word_count_counts_each_ballot_once_and_leaves_out_words_nobody_sent() -> None:
    from app.voting import word_count

    result = word_count([["a", "b", "a"], ["b"], ["c", "x"], []], ["a", "b", "c", "d"], max_words=3)
    assert [(s.option, s.score, s.rank, s.tied) for s in result.standings] == [
        ("b", 2, 1, False), ("a", 1, 2, True), ("c", 1, 2, True)]
    assert result.ballots == 3 and result.params == {"max_words": 3} and result.method == "word_count"
    shuffled = word_count([["c", "x"], ["b"], [], ["b", "a"]], ["a", "b", "c", "d"], max_words=3)
    assert shuffled.to_dict() == result.to_dict()  # the order of ballots does not matter
