"""Secret ballots stay secret: the attacks a hostile tester ran, run again on the real thing.

* The projector's (and the console's, and the phones') live tally of an anonymous rank round
  is recorded ballot by ballot and each ranking is read from the change in Borda scores.
* The database (the SQLite file, or PostgreSQL in physical order) is searched for a link
  between voters and ballots: row order, row versions, records of applied operations, sectors.
* A re-sent secret ballot or anonymous answer is a replay, not "already voted".
"""
from __future__ import annotations

import itertools
import json
import sqlite3
from collections import Counter

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app import transaction
from app.extensions import db
from app.models import Participant, Round, Survey
from app.realtime import broadcast
from app.services import ballots, rounds, surveys, workshops
from tests.support.sockets import D, F, P, call, events
from tests.support.web import csrf_token

SECRET_TABLES = ("voter", "secret_ballot", "survey_respondent", "survey_response", "secret_op")
K = 3  # the smallest group a secret ballot hides in (a round's min_cell of 3 by default)


# --- the database, read the way an operator with the file would ---------------------------
class RawDatabase:
    """Reads the test database behind the app's back: the SQLite file itself, or PostgreSQL."""

    def __init__(self, app, url: str):
        self.app, self.url = app, make_url(url)
        self.sqlite = self.url.get_backend_name() == "sqlite"

    def rows(self, sql: str, **params):
        if self.sqlite:
            conn = sqlite3.connect(self.url.database)
            try:
                return conn.execute(sql.replace(" ORDER BY ctid", ""), params).fetchall()
            finally:
                conn.close()
        with self.app.app_context(), db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]

    def physical(self, table: str, columns: str, where: str, **params):
        """Rows in the order they are stored: SQLite's table order, PostgreSQL's heap order."""
        return self.rows(f"SELECT {columns} FROM {table} WHERE {where} ORDER BY ctid", **params)

    def has_rowid(self, table: str) -> bool:
        try:
            self.rows(f"SELECT rowid FROM {table} LIMIT 1")
            return True
        except sqlite3.OperationalError:
            return False


@pytest.fixture
def raw(app, database_url):
    return RawDatabase(app, database_url)


def _content(value):
    return json.loads(value) if isinstance(value, str) else value


def order_attack(voters: list[int], ballots: list, truth: dict[int, object]) -> int:
    """Pair the i-th voter row with the i-th ballot row; how many pairs are right."""
    return sum(1 for pid, content in zip(voters, ballots) if truth[pid] == content)


# --- a room with an anonymous rank round --------------------------------------------------
SECTORS_24 = ["health_service"] * 10 + ["industry"] * 9 + ["research"] * 4 + ["patient_org"]


@pytest.fixture
def room(app, facilitator, make_workshop, make_round, join_participant, sio):
    """An open anonymous rank round over 4 ideas, a console, a projector and ``join(n)`` phones."""
    code = make_workshop(facilitator.user["id"])
    brainstorm = make_round(code, "brainstorm", title="Ideas", open_=True)
    ns = type("Room", (), {})()
    ns.code, ns.console, ns.display = code, sio(F, facilitator, code), sio(D, app.test_client(), code)
    ns.facilitator = facilitator
    author = join_participant(code, "Author", "Org", "other")
    author_sio = sio(P, author, code)
    ns.ideas = [call(author_sio, P, "submit_idea", {"round_id": brainstorm, "op_id": f"op-seed-{i:06d}", "title": f"Idea {i}"})["idea"]["id"]
                for i in range(4)]

    def start(**settings):
        rid = make_round(code, "rank", title="Secret ranking", source_round_id=brainstorm, top_k=None, anonymous=True, **settings)
        assert call(ns.console, F, "open_round", {"round_id": rid})["ok"]
        ns.round_id = rid
        return rid

    def join(sectors):
        people = []
        for n, sector in enumerate(sectors):
            http = join_participant(code, f"Voter {n}", f"Org {n}", sector)
            people.append((http, sio(P, http, code)))
        with app.app_context():
            ids = [p.id for p in db.session.query(Participant).filter(Participant.name.like("Voter %")).order_by(Participant.id)]
        return [(pid, http, client) for pid, (http, client) in zip(ids, people)]

    def survey(verb, sid):
        """Open or close a survey from the facilitator's survey page."""
        token = csrf_token(facilitator, f"/f/{code}/surveys/{sid}")
        assert facilitator.post(f"/f/{code}/surveys/{sid}/{verb}", data={"csrf_token": token}).status_code == 302

    ns.start, ns.join, ns.survey = start, join, survey
    return ns


def _rankings(ideas, n):
    return [list(p) for p in itertools.islice(itertools.permutations(ideas), n)]


def test_live_tally_of_a_secret_round_gives_no_ballot_away(app, room):
    """The Borda reconstruction attack on every audience's ``tally`` events recovers nothing."""
    people = room.join(["health_service"] * 12)
    rid = room.start()
    _, _, watching_phone = people[0]
    for client, ns in ((room.console, F), (room.display, D), (watching_phone, P)):
        client.get_received(ns)
    truth = []
    for n, ((pid, _, phone), order) in enumerate(zip(people, _rankings(room.ideas, 12))):
        ack = call(phone, P, "submit_ballot", {"round_id": rid, "ballot": order, "op_id": f"op-secret-{n:05d}"})
        assert ack["ok"] and ack["replayed"] is False, ack
        truth.append(order)
        # The worst case for secrecy: one published tally per ballot, not coalesced.
        with app.app_context():
            broadcast.send_tally(db.session.get(Round, rid))

    def attack(tallies):
        recovered, last = 0, (0, {})
        for t in tallies:
            scores = {s["idea_id"]: s["score"] for s in t["standings"]}
            if t["ballots"] == last[0] + 1 and scores:
                diff = {i: scores.get(i, 0) - last[1].get(i, 0) for i in room.ideas}
                guess = sorted(room.ideas, key=lambda i: -diff[i])
                recovered += guess == truth[t["ballots"] - 1]
            last = (t["ballots"], scores)
        return recovered

    for client, ns in ((room.display, D), (room.console, F), (watching_phone, P)):
        tallies = [t for t in events(client, ns, "tally") if t["round_id"] == rid]
        assert tallies, ns
        assert attack(tallies) == 0, ns
        assert all(t["sealed"] and t["standings"] == [] for t in tallies)
        # What is published while open is the count of voters, and it is right.
        assert tallies[-1]["ballots"] == 12 and tallies[-1]["voters"] == 12
    console = call(room.console, F, "sync")["state"]
    assert console["tally"]["sealed"] and console["breakdown"] is None
    assert "hemmelig" in console["tally"]["method_card"]  # the workshop speaks Norwegian
    assert call(room.display, D, "sync")["state"]["tally"]["standings"] == []

    # At close the result is published, to everyone, counted over all twelve ballots.
    assert call(room.console, F, "close_round", {"round_id": rid})["ok"]
    final = call(room.display, D, "sync")["state"]["tally"]
    assert final["sealed"] is False and final["ballots"] == 12
    borda = Counter()
    for order in truth:
        for place, idea in enumerate(order):
            borda[idea] += len(order) - 1 - place
    assert {s["idea_id"]: s["score"] for s in final["standings"]} == dict(borda)


def test_database_file_does_not_link_voters_to_secret_ballots(app, room, raw):
    """Voter order against ballot order, row versions, op records and one-person sectors."""
    people = room.join(SECTORS_24)
    rid = room.start()
    truth = {}
    k = K
    with app.app_context():
        round_ = db.session.get(Round, rid)
        for n, ((pid, _, _), order) in enumerate(zip(people, _rankings(room.ideas, 24))):
            before = dict(raw.rows("SELECT id, content FROM secret_ballot WHERE round_id = :r", r=rid))
            participant = db.session.get(Participant, pid)
            transaction.run(lambda: ballots.cast(participant, round_, op_id=f"op-file-{n:06d}", payload={"ballot": order},
                                                 action="submit_ballot"))
            truth[pid] = order
            after = dict(raw.rows("SELECT id, content FROM secret_ballot WHERE round_id = :r", r=rid))
            # Each vote writes its ballot in one batch with k - 1 earlier ones, all with new ids,
            # so the rows one voter's transaction leaves hold k ballots, not one.
            written = set(after) - set(before)
            assert len(written) == min(k, n + 1)
            assert Counter(map(json.dumps, map(_content, after.values()))) == \
                Counter(map(json.dumps, map(_content, before.values()))) + Counter([json.dumps(order)])
            if not raw.sqlite:
                newest = raw.rows("SELECT count(*) FROM secret_ballot WHERE round_id = :r AND xmin::text::bigint = "
                                  "(SELECT max(xmin::text::bigint) FROM secret_ballot WHERE round_id = :r)", r=rid)[0][0]
                assert newest == min(k, n + 1)

    def linkage():
        voters = [pid for (pid,) in raw.physical("voter", "participant_id", "round_id = :r", r=rid)]
        stored = [_content(c) for (c,) in raw.physical("secret_ballot", "content", "round_id = :r", r=rid)]
        assert sorted(voters) == sorted(truth) and len(stored) == 24
        return order_attack(voters, stored, truth), voters

    # While the round is open: a random permutation matches about one pair by chance (the old
    # rowid order matched all 24); 9 or more happens less than once in 10,000 runs.
    matched, voters = linkage()
    assert matched <= 8, matched
    if raw.sqlite:
        assert voters == sorted(voters)  # participant order: not the order people voted in
        assert not any(raw.has_rowid(t) for t in SECRET_TABLES)

    # No record of an applied operation names a voter of the secret round.
    assert raw.rows("SELECT count(*) FROM client_op WHERE kind = 'submit_ballot'")[0][0] == 0
    columns = {r[1] for r in raw.rows("PRAGMA table_info(secret_op)")} if raw.sqlite else \
        {r[0] for r in raw.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'secret_op'")}
    assert columns == {"digest", "workshop_id"}
    assert raw.rows("SELECT count(*) FROM secret_op")[0][0] == 24

    # A sector only one participant has is never written on a ballot.
    sectors = Counter(s for (s,) in raw.rows("SELECT sector FROM secret_ballot WHERE round_id = :r", r=rid))
    assert "patient_org" not in sectors and sectors[None] == 1
    assert sectors["research"] == 4

    with app.app_context():
        transaction.run(lambda: rounds.close_round(db.session.get(Round, rid)))
    matched, voters = linkage()
    assert matched <= 8, matched
    if not raw.sqlite:
        # Closing rewrote every ballot and every voter row in one transaction: one row version.
        assert raw.rows("SELECT count(DISTINCT xmin::text) FROM secret_ballot WHERE round_id = :r", r=rid)[0][0] == 1
        assert raw.rows("SELECT count(DISTINCT xmin::text) FROM voter WHERE round_id = :r", r=rid)[0][0] == 1
        assert voters == sorted(voters)
    assert Counter(map(json.dumps, (_content(c) for (c,) in raw.rows("SELECT content FROM secret_ballot WHERE round_id = :r", r=rid)))) \
        == Counter(json.dumps(o) for o in truth.values())


def test_small_sectors_are_dropped_from_secret_ballots(app, room, raw):
    """A sector of one participant is never stored; one with fewer than k ballots goes at close."""
    people = room.join(["health_service"] * 4 + ["research"] * 3 + ["patient_org"])
    rid = room.start()
    voting = people[:5] + people[6:]  # one researcher stays out: research gets two ballots
    for n, ((_, _, phone), order) in enumerate(zip(voting, _rankings(room.ideas, len(voting)))):
        assert call(phone, P, "submit_ballot", {"round_id": rid, "ballot": order, "op_id": f"op-sector-{n:04d}"})["ok"]
    during = Counter(s for (s,) in raw.rows("SELECT sector FROM secret_ballot WHERE round_id = :r", r=rid))
    assert during == {"health_service": 4, "research": 2, None: 1}
    assert call(room.console, F, "close_round", {"round_id": rid})["ok"]
    after = Counter(s for (s,) in raw.rows("SELECT sector FROM secret_ballot WHERE round_id = :r", r=rid))
    assert after == {"health_service": 4, None: 3}
    assert all(n >= K for s, n in after.items() if s is not None)
    with app.app_context():
        stored = db.session.get(Round, rid).latest_result.data["breakdown"]["by_sector"]["sectors"]
    assert "research" not in stored and "patient_org" not in stored
    assert stored["health_service"]["ballots"] == 4


def test_resent_secret_ballot_is_a_replay(app, room, sio):
    """The same op id again (a lost ack, or after a reconnect) is answered ``replayed: true``."""
    (pid, http, phone), = room.join(["industry"])
    rid = room.start()
    payload = {"round_id": rid, "ballot": room.ideas, "op_id": "op-resend-000001"}
    first = call(phone, P, "submit_ballot", payload)
    assert first == {"ok": True, "round_id": rid, "ballot": None, "voted": True, "replayed": False}
    again = call(phone, P, "submit_ballot", payload)
    assert again == {"ok": True, "round_id": rid, "ballot": None, "voted": True, "replayed": True}
    phone.disconnect(P)
    reconnected = sio(P, http, room.code)
    assert call(reconnected, P, "submit_ballot", payload)["replayed"] is True
    other = call(reconnected, P, "submit_ballot", {**payload, "op_id": "op-resend-000002"})
    assert other["ok"] is False and other["error"]["code"] == "already_voted"
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM secret_ballot")).scalar() == 1
        assert db.session.execute(text("SELECT count(*) FROM client_op")).scalar() == 4  # the seeded ideas only


def test_anonymous_survey_keeps_answers_unlinked_and_sealed(app, room, raw, sio):
    """Live results to the console, respondent order against answer order, op records, replays."""
    people = room.join(["health_service"] * 12)
    with app.app_context():
        workshop = workshops.by_code(room.code)
        survey = transaction.run(lambda: surveys.create_survey(workshop, title="After the day", anonymous=True))
        question = transaction.run(lambda: surveys.add_question(survey, kind="text", text="What should change?"))
        sid, qid = survey.id, question.id
    room.survey("open", sid)
    room.console.get_received(F)
    truth = {}
    for n, (pid, _, phone) in enumerate(people):
        answer = f"Answer number {n}"
        ack = call(phone, P, "submit_survey", {"survey_id": sid, "answers": {str(qid): answer}, "op_id": f"op-survey-{n:04d}"})
        assert ack == {"ok": True, "replayed": False}
        truth[pid] = {str(qid): answer}
    # A re-sent answer is a replay; a second answer with a new op id is refused.
    _, _, phone = people[0]
    assert call(phone, P, "submit_survey", {"survey_id": sid, "answers": {str(qid): "x"}, "op_id": "op-survey-0000"}) == \
        {"ok": True, "replayed": True}
    second = call(phone, P, "submit_survey", {"survey_id": sid, "answers": {str(qid): "x"}, "op_id": "op-survey-9999"})
    assert second["error"]["code"] == "already_responded"

    # The console's live results: counts only, so no answer can be read from a change.
    live = [s for s in events(room.console, F, "survey_results") if s["id"] == sid]
    assert [s["respondents"] for s in live] == list(range(1, 13))
    assert all(s["sealed"] and "answers" not in s["questions"][0] for s in live)

    respondents = [pid for (pid,) in raw.physical("survey_respondent", "participant_id", "survey_id = :s", s=sid)]
    answers = [_content(a) for (a,) in raw.physical("survey_response", "answers", "survey_id = :s", s=sid)]
    assert order_attack(respondents, answers, truth) <= 6
    assert raw.rows("SELECT count(*) FROM survey_response WHERE participant_id IS NOT NULL")[0][0] == 0
    assert raw.rows("SELECT count(*) FROM client_op WHERE kind = 'submit_survey'")[0][0] == 0

    room.survey("close", sid)
    with app.app_context():
        summary = surveys.summary(db.session.get(Survey, sid))
    assert summary["sealed"] is False and sorted(summary["questions"][0]["answers"]) == sorted(a[str(qid)] for a in truth.values())
    respondents = [pid for (pid,) in raw.physical("survey_respondent", "participant_id", "survey_id = :s", s=sid)]
    answers = [_content(a) for (a,) in raw.physical("survey_response", "answers", "survey_id = :s", s=sid)]
    assert order_attack(respondents, answers, truth) <= 6


def test_backup_round_trips_secret_rounds_and_anonymous_surveys(app, room):
    """A backup still carries every secret ballot, voter and anonymous answer."""
    from app.services import backup

    people = room.join(["health_service"] * 3 + ["industry"])
    rid = room.start()
    for n, ((_, _, phone), order) in enumerate(zip(people, _rankings(room.ideas, 4))):
        assert call(phone, P, "submit_ballot", {"round_id": rid, "ballot": order, "op_id": f"op-backup-{n:04d}"})["ok"]
    assert call(room.console, F, "close_round", {"round_id": rid})["ok"]
    with app.app_context():
        workshop = workshops.by_code(room.code)
        survey = transaction.run(lambda: surveys.create_survey(workshop, title="Evaluation", anonymous=True))
        q = transaction.run(lambda: surveys.add_question(survey, kind="scale", text="Useful?"))
        sid, qid = survey.id, q.id
    room.survey("open", sid)
    for n, (_, _, phone) in enumerate(people):
        assert call(phone, P, "submit_survey", {"survey_id": sid, "answers": {str(qid): 1 + n}, "op_id": f"op-bsurvey-{n:03d}"})["ok"]
    room.survey("close", sid)
    with app.app_context():
        doc = backup.dump(workshops.by_code(room.code))
        copy = transaction.run(lambda: backup.restore(json.loads(json.dumps(doc)), None))
        again = backup.dump(copy)
    original_round = next(r for r in doc["rounds"] if r["title"] == "Secret ranking")
    copied_round = next(r for r in again["rounds"] if r["title"] == "Secret ranking")
    assert len(original_round["secret_ballots"]) == 4 and len(original_round["voters"]) == 4
    assert copied_round["secret_ballots"] == original_round["secret_ballots"]
    assert copied_round["voters"] == original_round["voters"]
    assert again["surveys"][0]["responses"] == doc["surveys"][0]["responses"]
    assert len(doc["surveys"][0]["respondents"]) == 4


def test_concurrent_secret_ballots_are_neither_lost_nor_doubled(app, room):
    """Votes written at the same moment each rewrite earlier ballots; none is lost or copied."""
    import threading

    people = room.join(["health_service"] * 16)
    rid = room.start()
    orders = _rankings(room.ideas, 16)
    errors = []

    def cast(n, pid):
        with app.app_context():
            try:
                participant = db.session.get(Participant, pid)
                round_ = db.session.get(Round, rid)
                transaction.run(lambda: ballots.cast(participant, round_, op_id=f"op-race-{n:06d}",
                                                     payload={"ballot": orders[n]}, action="submit_ballot"))
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=cast, args=(n, pid)) for n, (pid, _, _) in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with app.app_context():
        stored = [_content(c) for (c,) in db.session.execute(text("SELECT content FROM secret_ballot WHERE round_id = :r"), {"r": rid})]
        voters = db.session.execute(text("SELECT count(*) FROM voter WHERE round_id = :r"), {"r": rid}).scalar()
    assert voters == 16
    assert Counter(map(json.dumps, stored)) == Counter(map(json.dumps, orders))


def test_upgrade_carries_secret_ballots_over_and_unlinks_them(app):
    """Migration 0004 keeps every voter, ballot and answer, drops small sectors, moves op records.

    The test database goes back to 0003 (through 0004's downgrade), gets rows written the way
    the old code wrote them, and is upgraded again.
    """
    from flask_migrate import downgrade, upgrade

    from app.models import Participant as P_
    from app.services import participants
    from tests.conftest import ROOT

    migrations = str(ROOT / "migrations")
    with app.app_context():
        # The workshop, its people, rounds and survey are made through today's services (the
        # tables they live in are older than 0004), then the schema goes back to 0003.
        workshop = transaction.run(lambda: workshops.create_workshop(None, title="Before the upgrade"))
        sectors = ["health_service"] * 4 + ["patient_org"]
        people = [transaction.run(lambda: participants.join(workshop, name=f"V{n}", sector=s)) for n, s in enumerate(sectors)]
        brainstorm = transaction.run(lambda: rounds.add_round(workshop, kind="brainstorm", title="B"))
        secret = transaction.run(lambda: rounds.add_round(workshop, kind="rank", title="R", settings={
            "source_round_id": brainstorm.id, "anonymous": True}))
        survey = transaction.run(lambda: surveys.create_survey(workshop, title="S", anonymous=True))
        ids = {"round": secret.id, "survey": survey.id, "people": [p.id for p in people]}
        db.session.remove()
        downgrade(directory=migrations, revision="0003")
        try:
            with db.engine.begin() as conn:
                for n, p in enumerate(people):  # as the old code stored them: in voting order
                    conn.execute(text("INSERT INTO voter (round_id, participant_id) VALUES (:r, :p)"), {"r": secret.id, "p": p.id})
                    conn.execute(text("INSERT INTO secret_ballot (id, round_id, sector, content) VALUES (:i, :r, :s, :c)"),
                                 {"i": f"{n:032x}", "r": secret.id, "s": p.sector, "c": json.dumps([n])})
                    conn.execute(text("INSERT INTO client_op (participant_id, op_id, kind, response, created_at) VALUES "
                                      "(:p, :o, 'submit_ballot', :resp, CURRENT_TIMESTAMP)"),
                                 {"p": p.id, "o": f"op-old-{n:05d}", "resp": json.dumps({"round_id": secret.id})})
                    conn.execute(text("INSERT INTO survey_respondent (survey_id, participant_id) VALUES (:s, :p)"), {"s": survey.id, "p": p.id})
                    conn.execute(text("INSERT INTO survey_response (id, survey_id, participant_id, answers) VALUES (:i, :s, NULL, :a)"),
                                 {"i": f"{n:032x}", "s": survey.id, "a": json.dumps({"1": n})})
                    conn.execute(text("INSERT INTO client_op (participant_id, op_id, kind, response, created_at) VALUES "
                                      "(:p, :o, 'submit_survey', :resp, CURRENT_TIMESTAMP)"),
                                 {"p": p.id, "o": f"op-oldsv-{n:05d}", "resp": json.dumps({"survey_id": survey.id})})
            db.session.remove()
            upgrade(directory=migrations)
            with db.engine.connect() as conn:
                voters = [r[0] for r in conn.execute(text("SELECT participant_id FROM voter WHERE round_id = :r"), {"r": ids["round"]})]
                stored = [(s, _content(c)) for s, c in conn.execute(text("SELECT sector, content FROM secret_ballot"))]
                answers = [_content(a) for (a,) in conn.execute(text("SELECT answers FROM survey_response"))]
                respondents = conn.execute(text("SELECT count(*) FROM survey_respondent")).scalar()
                left = conn.execute(text("SELECT count(*) FROM client_op")).scalar()
            assert sorted(voters) == sorted(ids["people"]) and respondents == 5
            assert sorted(c[0] for _, c in stored) == list(range(5))
            assert sorted(a["1"] for a in answers) == list(range(5))
            # The one-person sector is gone; the old ids (which were in voting order) too.
            assert Counter(s for s, _ in stored) == {"health_service": 4, None: 1}
            with db.engine.connect() as conn:
                assert not {f"{n:032x}" for n in range(5)} & {r[0] for r in conn.execute(text("SELECT id FROM secret_ballot"))}
            # Records of secret submissions became keyed hashes: a re-sent old op is still a replay.
            assert left == 0
            first = db.session.get(P_, ids["people"][0])
            assert ballots.cast(first, db.session.get(Round, ids["round"]), op_id="op-old-00000", payload={"ballot": []},
                                action="submit_ballot").replayed
            assert surveys.submit_response(first, db.session.get(Survey, ids["survey"]), {}, op_id="op-oldsv-00000")[1]
        finally:
            db.session.remove()
            upgrade(directory=migrations)
