"""The voting package's sentences in the app's languages: method cards and ballot errors, marked in
the package and translated by the app (``state.card``, ``rounds.base.ballot_error``)."""
from __future__ import annotations

import pytest

from app import i18n
from app.voting import BallotError, validate_dots, validate_ranking

#: Per method: its parameters, and a sentence of its card in each language.
CARDS = {
    "dots": ({"budget": 5, "cap": 3}, {
        "en": "Each participant had 5 dots, at most 3 on one idea.",
        "nb": "Hver deltaker hadde 5 prikker, høyst 3 på én idé.",
        "nn": "Kvar deltakar hadde 5 prikkar, høgst 3 på éin idé.",
    }),
    "points": ({"budget": 100}, {
        "en": "Each participant shared out up to 100 points among the ideas.",
        "nb": "Hver deltaker fordelte opptil 100 poeng mellom ideene.",
        "nn": "Kvar deltakar fordelte opptil 100 poeng mellom ideane.",
    }),
    "borda": ({"partial": True}, {
        "en": "Participants ranked the ideas from most to least preferred.",
        "nb": "Deltakerne rangerte ideene fra mest til minst foretrukket.",
        "nn": "Deltakarane rangerte ideane frå mest til minst føretrekt.",
    }),
    "schulze": ({}, {
        "en": "Chains of such wins were followed",
        "nb": "Kjeder av slike seire ble fulgt",
        "nn": "Kjeder av slike sigrar vart følgde",
    }),
    "irv": ({}, {
        "en": "The idea with the fewest votes was eliminated",
        "nb": "Ideen med færrest stemmer falt ut",
        "nn": "Ideen med færrast røyster fall ut",
    }),
    "score": ({"scale_min": 1, "scale_max": 5}, {
        "en": "Participants rated each idea on a scale from 1 to 5.",
        "nb": "Deltakerne vurderte hver idé på en skala fra 1 til 5.",
        "nn": "Deltakarane vurderte kvar idé på ein skala frå 1 til 5.",
    }),
    "pairwise": ({}, {
        "en": "Participants were shown two ideas at a time",
        "nb": "Deltakerne så to ideer om gangen",
        "nn": "Deltakarane såg to idear om gongen",
    }),
    "impact_effort": ({"scale_min": 1, "scale_max": 4}, {
        "en": "by comparing both averages with the midpoint 2.5.",
        "nb": "ved å sammenligne begge gjennomsnittene med midtpunktet 2,5.",
        "nn": "ved å samanlikne begge gjennomsnitta med midtpunktet 2,5.",
    }),
    "word_count": ({"max_words": 3}, {
        "en": "Each participant could send up to 3 words or short phrases.",
        "nb": "Hver deltaker kunne sende opptil 3 ord eller korte uttrykk.",
        "nn": "Kvar deltakar kunne sende opptil 3 ord eller korte uttrykk.",
    }),
}

#: How each language says that no tie was broken (every card but the word cloud's says it).
NO_TIE_BROKEN = {
    "en": "no tie was broken automatically.",
    "nb": "ingen uavgjorte plasseringer ble avgjort automatisk.",
    "nn": "ingen uavgjorde plasseringar vart avgjorde automatisk.",
}


@pytest.mark.parametrize("lang", ["nn", "nb", "en"])
@pytest.mark.parametrize("method", sorted(CARDS))
def test_a_method_card_in_each_language(ctx, method, lang):
    from app.services.state import card

    params, sentences = CARDS[method]
    text = card(method, params, lang)
    assert sentences[lang] in text, text
    assert "1, 2, 2, 4" in text
    if method != "word_count":
        assert text.endswith(NO_TIE_BROKEN[lang]), text
    others = [other for other in CARDS[method][1] if other != lang]
    assert all(sentences[other] not in text for other in others)


def test_a_secret_card_in_nynorsk_and_numbers_as_norwegian_writes_them(ctx):
    from app.services.state import card

    text = card("points", {"budget": 10_000, "anonymous": True, "tie_break": "facilitator"}, "nn")
    assert "opptil 10\u00a0000 poeng" in text
    assert "uavgjorde plasseringar vart deretter avgjorde av fasilitatoren." in text
    assert text.endswith("Avrøystinga var hemmeleg: medan ho var open, såg alle, òg fasilitatoren, berre kor mange "
                         "som hadde røysta, og resultatet vart vist då ho vart lukka.")
    assert "10,000 points" in card("points", {"budget": 10_000}, "en")


def _refusal(call) -> BallotError:
    with pytest.raises(BallotError) as info:
        call()
    return info.value


@pytest.mark.parametrize("lang, over_cap, over_budget, incomplete", [
    ("nn", "Du kan setje høgst 3 prikkar på éin idé.", "Du har brukt alle dei 5 prikkane dine.", "Ranger alle dei 3 ideane."),
    ("nb", "Du kan sette høyst 3 prikker på én idé.", "Du har brukt alle de 5 prikkene dine.", "Ranger alle de 3 ideene."),
    ("en", "You can put at most 3 dots on one idea.", "You have used all 5 of your dots.", "Please rank all 3 ideas."),
])
def test_a_ballot_error_is_told_in_the_language_it_is_read_in(ctx, lang, over_cap, over_budget, incomplete):
    from app.rounds.base import ballot_error

    cap = ballot_error(_refusal(lambda: validate_dots({1: 4}, [1, 2], budget=5, cap=3)))
    budget = ballot_error(_refusal(lambda: validate_dots({1: 3, 2: 3}, [1, 2], budget=5, cap=3)))
    rank = ballot_error(_refusal(lambda: validate_ranking([1], [1, 2, 3])))
    with i18n.in_language(lang):
        assert (cap.code, cap.status, cap.message) == ("over_cap", 409, over_cap)
        assert budget.message == over_budget
        assert rank.to_dict() == {"code": "incomplete_ranking", "message": incomplete}


@pytest.mark.parametrize("lang, expected", [
    ("nn", "Du kan setje høgst 3 prikkar på éin idé."),
    ("nb", "Du kan sette høyst 3 prikker på én idé."),
    ("en", "You can put at most 3 dots on one idea."),
])
def test_a_refused_vote_reaches_the_phone_in_the_workshops_language(app, facilitator, make_workshop, make_round,
                                                                     join_participant, op_id, lang, expected):
    from app.extensions import socketio
    from tests.support.sockets import P, call

    from app.extensions import db
    from app.services import workshops

    code = make_workshop(facilitator.user["id"], language="nb")
    brainstorm = make_round(code, "brainstorm", title="Idear", open_=True)
    http = join_participant(code)
    with app.app_context():  # the workshop's language, chosen after the phone joined: read on every event
        workshops.by_code(code).language = lang
        db.session.commit()
    # The phone's browser asks for another language: the workshop's wins.
    phone = socketio.test_client(app, namespace=P, flask_test_client=http, auth={"code": code},
                                 headers={"Accept-Language": "de, en;q=0.5" if lang != "en" else "nb-NO"})
    try:
        idea = call(phone, P, "submit_idea", {"round_id": brainstorm, "op_id": op_id(), "title": "Felles plattform"})["idea"]["id"]
        dots = make_round(code, "dot_vote", title="Prikkar", open_=True, source_round_id=brainstorm, budget=5, cap=3)
        ack = call(phone, P, "cast_dots", {"round_id": dots, "idea_id": idea, "count": 4, "op_id": op_id()})
        assert ack["ok"] is False and ack["error"]["code"] == "over_cap"
        assert ack["error"]["message"] == expected
    finally:
        phone.disconnect(P)
