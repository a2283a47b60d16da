"""A word cloud round through the services: counting, stop words, exports and the backup."""
import io
import json

import pytest
from openpyxl import load_workbook

from app import transaction
from app.errors import DomainError
from app.exports import ROUND_WRITERS, WORKSHOP_WRITERS
from app.exports.document import build, plain_text
from app.extensions import db
from app.models import Idea, User
from app.rounds.word_cloud import clean_words, is_stop_word, word_key
from app.services import backup, ideas, reporting, rounds, state


def send(make, participant, round_, words):
    return make.vote(participant, round_, "send_words", words=words)


@pytest.fixture
def closed_cloud(make):
    """A closed word cloud of four participants, one of its words hidden, after a brainstorm and a dot vote."""
    owner = User(email="o@example.org", name="O", password_hash="x")
    db.session.add(owner)
    db.session.flush()
    w = make.workshop("Cloud day", owner=owner, language="en")
    people = make.participants(w, 4, sectors=["health_service", "industry", "industry", "research"])
    storm = make.round(w, "brainstorm", "Ideas", open_=True)
    found = make.ideas(storm, people, ["Shared records", "Home care"])
    dots = make.round(w, "dot_vote", "Dots", source=storm, open_=True)
    make.dots(people[0], dots, found[0], 2)
    cloud = make.round(w, "word_cloud", "One word", open_=True)
    send(make, people[0], cloud, ["Trust", "data sharing", "=cmd|calc"])
    send(make, people[1], cloud, ["trust", "Data  sharing"])
    send(make, people[2], cloud, ["TRUST", "Rubbish"])
    send(make, people[3], cloud, ["trust"])
    rubbish = next(i for i in cloud.ideas if i.title == "Rubbish")
    transaction.run(lambda: ideas.set_hidden(rubbish, True))
    transaction.run(lambda: rounds.close_round(cloud))
    return w, cloud


def test_keys_and_stop_words():
    assert word_key("  Grønn   Omstilling! ") == "grønn omstilling" == word_key("«grønn omstilling»")
    assert is_stop_word(word_key("Og")) and is_stop_word("ikkje") and is_stop_word("the")
    assert not is_stop_word("tid og rom") and not is_stop_word("bergen")
    assert clean_words({"max_words": 2}, [" tid  og rom "]) == ["tid og rom"]
    with pytest.raises(DomainError) as exc:
        clean_words({}, ["dei"])  # nynorsk
    assert exc.value.code == "stop_word"


def test_the_closed_result_counts_participants_in_the_most_common_spelling(closed_cloud):
    w, cloud = closed_cloud
    stored = cloud.latest_result.data
    assert stored["method"] == "word_count" and stored["ballots"] == 4 and stored["breakdown"] is None
    titles = [stored["titles"][str(s["option"])] for s in stored["standings"]]
    assert titles == ["trust", "Data sharing", "=cmd|calc"]
    assert [s["score"] for s in stored["standings"]] == [4, 2, 1]
    # The tally equals a recount of the database.
    recount = rounds.compute_result(cloud)
    assert [(s.option, s.score) for s in recount.standings] == [(s["option"], s["score"]) for s in stored["standings"]]
    assert state.tally_payload(cloud, fresh=True)["standings"][0]["title"] == "trust"


def test_report_section_sheet_rows_and_final_list(closed_cloud):
    w, cloud = closed_cloud
    report = reporting.workshop_report(w, parts=("ballots",))
    rnd = next(r for r in report["rounds"] if r["id"] == cloud.id)
    assert [(s["title"], s["score"]) for s in rnd["result"]["standings"]] == [("trust", 4), ("Data sharing", 2), ("=cmd|calc", 1)]
    assert rnd["hidden_words"] == [{"text": "Rubbish", "count": 1}]
    assert report["final"]["round_title"] == "Dots"  # a word cloud is not the final ranked list
    sheet = next(b for b in report["ballots"] if b["round_id"] == cloud.id)
    assert sorted(r["idea"] for b in sheet["ballots"] for r in b["rows"]) == sorted(
        ["Trust", "data sharing", "=cmd|calc", "trust", "Data sharing", "TRUST", "Rubbish", "trust"])
    # The report writers render it as any voting round: words and counts, not the hidden word.
    text = plain_text(build(report))
    assert "One word" in text and "Data sharing" in text and "Rubbish" not in text
    assert "Each participant could send up to 3 words or short phrases." in text
    wb = load_workbook(io.BytesIO(WORKSHOP_WRITERS["xlsx"](report).content))
    result_sheet = next(ws for ws in wb.worksheets if ws.title.startswith("Result 3"))
    rows = list(result_sheet.iter_rows(min_row=6))
    assert [(r[3].value, r[4].value) for r in rows] == [("trust", 4), ("Data sharing", 2), ("=cmd|calc", 1)]
    assert rows[2][3].data_type == "s"  # text, never a formula
    header = [c.value for c in next(wb["Ideas"].iter_rows(max_row=1))]
    hidden = {r[2].value: r[header.index("Hidden")].value for r in wb["Ideas"].iter_rows(min_row=2)}
    assert hidden["Rubbish"] == "yes" and not hidden["trust"]  # listed apart for the organiser, marked hidden
    csv = ROUND_WRITERS["csv"](rnd).content.decode("utf-8-sig")
    assert "trust" in csv and "Rubbish" not in csv


def test_backup_round_trip(closed_cloud):
    w, cloud = closed_cloud
    owner = db.session.get(User, w.owner_id)
    first = backup.dump(w)
    doc = json.loads(json.dumps(first))
    dumped = next(r for r in doc["rounds"] if r["kind"] == "word_cloud")
    assert sorted(b["content"] for b in dumped["ballots"])[0] == ["TRUST", "Rubbish"]
    assert all(s["option"] for s in dumped["results"][-1]["data"]["standings"])  # every word named by its key
    copy_ = transaction.run(lambda: backup.restore(doc, owner))
    second = backup.dump(copy_)
    first["workshop"].pop("code"), second["workshop"].pop("code")
    assert second == first
    restored = next(r for r in copy_.rounds if r.kind == "word_cloud")
    titles = {i.id: i.title for i in restored.ideas}
    assert [(titles[s.option], s.score) for s in rounds.compute_result(restored).standings] == \
        [("trust", 4), ("Data sharing", 2), ("=cmd|calc", 1)]
    assert [i.title for i in restored.ideas if i.hidden] == ["Rubbish"]


def test_a_later_vote_can_work_over_the_top_words(make, closed_cloud):
    w, cloud = closed_cloud
    vote = make.round(w, "dot_vote", "Vote on words", source=cloud, top_k=2, open_=True)
    assert [i.title for i in rounds.KINDS["dot_vote"].options(vote)] == ["trust", "Data sharing"]
    assert db.session.query(Idea).filter_by(round_id=cloud.id).count() == 4
