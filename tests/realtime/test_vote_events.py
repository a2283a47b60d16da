"""The vote events phones send are generated from the round-kind registry."""
from pathlib import Path

from app.realtime.participant import ParticipantNamespace
from app.rounds import KINDS, vote_events
from app.services import ballots

P = "/participant"
PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"


def test_every_voting_kind_has_its_event_and_all_take_whole_ballots():
    events = vote_events()
    assert list(events) == [k.action for k in KINDS.values() if k.votes] + [ballots.WHOLE]
    protocol = PROTOCOL.read_text(encoding="utf-8")
    for event, doc in events.items():
        handler = getattr(ParticipantNamespace, f"on_{event}")
        assert handler.__name__ == f"on_{event}" and handler.__doc__ == doc and doc
        assert f"| `{event}` |" in protocol, f"{event} is not in docs/protocol.md"


def test_each_vote_event_reaches_the_vote(app, facilitator, make_workshop, make_round, join_participant, sio):
    code = make_workshop(facilitator.user["id"], language="en")
    ideas = make_round(code, "brainstorm", title="Ideas", open_=True)
    phone = sio(P, join_participant(code), code)
    assert phone.is_connected(P)
    for n, event in enumerate(vote_events()):
        ack = phone.emit(event, {"round_id": ideas, "op_id": f"op-vote-{n:07d}"}, namespace=P, callback=True)
        assert ack == {"ok": False, "error": {"code": "not_a_vote", "message": "“Ideas” does not take votes."}}, event
    ack = phone.emit("cast_votes", {"round_id": ideas}, namespace=P, callback=True)
    assert ack["error"]["code"] == "unknown_event"
