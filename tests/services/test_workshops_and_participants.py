import random

import pytest

from app.errors import DomainError, Forbidden, NotFound
from app.extensions import db
from app.services import participants, workshops


def test_join_codes_avoid_ambiguous_characters(ctx):
    rng = random.Random(1)
    codes = {workshops.create_workshop(None, title=f"W{i}", rng=rng).code for i in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 6 and not set(c) & set("0O1IL") for c in codes)


def test_typed_code_is_normalised(ctx):
    w = workshops.create_workshop(None, title="W")
    typed = f" {w.code[:3].lower()}-{w.code[3:].lower()} "
    assert workshops.by_code(typed).id == w.id


def test_wrong_code_is_not_found(ctx):
    with pytest.raises(NotFound) as exc:
        workshops.by_code("ZZZZZZ")
    assert "no workshop with that code" in exc.value.message


@pytest.mark.parametrize("title, code", [("", "title_required"), ("x" * 201, "title_too_long")])
def test_workshop_title_checked(ctx, title, code):
    with pytest.raises(DomainError) as exc:
        workshops.create_workshop(None, title=title)
    assert exc.value.code == code


def test_join_validates_and_closed_workshop_refuses(ctx):
    w = workshops.create_workshop(None, title="W", allow_anonymous=False)
    with pytest.raises(DomainError) as exc:
        participants.join(w, name="")
    assert exc.value.code == "name_required"
    with pytest.raises(DomainError) as exc:
        participants.join(w, anonymous=True)
    assert exc.value.code == "anonymous_not_allowed"
    with pytest.raises(DomainError) as exc:
        participants.join(w, name="x" * 81)
    assert exc.value.code == "name_too_long"
    with pytest.raises(DomainError) as exc:
        participants.join(w, name="Kari", sector="pirates")
    assert exc.value.code == "bad_sector"
    w.join_open = False
    with pytest.raises(DomainError) as exc:
        participants.join(w, name="Kari")
    assert exc.value.code == "join_closed"
    assert db.session.query(participants.Participant).count() == 0


def test_token_round_trip_and_refusals(make):
    w1, w2 = make.workshop("One"), make.workshop("Two")
    p = make.participant(w1, "Kari")
    token = participants.issue_token(p)
    assert participants.from_token(w1, token).id == p.id
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad_workshop, bad_token in [(w1, forged), (w2, token), (w1, None), (w1, "garbage")]:
        with pytest.raises(Forbidden):
            participants.from_token(bad_workshop, bad_token)
    # Revoking (a new token version) makes the old token useless: a replayed cookie is refused.
    p.token_version += 1
    db.session.commit()
    with pytest.raises(Forbidden):
        participants.from_token(w1, token)


def test_control_characters_are_dropped_from_typed_text(make, op_id):
    from app.services import ideas

    w = make.workshop("Nul\x00 test")
    p = make.participant(w, "Ka\x00ri\x07")
    b = make.round(w, "brainstorm", "Ideas", open_=True)
    idea = ideas.submit_idea(p, b, op_id=op_id(), title="Da\x00ta\x1b", details="line\nnext\ttab\x00").idea
    db.session.commit()
    assert (w.title, p.name, idea.title, idea.details) == ("Nul test", "Kari", "Data", "line\nnext\ttab")
