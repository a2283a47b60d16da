"""Records named by id: another workshop's record answers exactly as a missing one."""
import pytest

from app import transaction
from app.errors import DomainError, NotFound
from app.services import agenda, comments, ideas, roster, rounds, surveys, worksheets


@pytest.fixture
def two(make, op_id):
    """One record of every kind in workshop ``mine``; lookups are asked from workshop ``other``."""
    mine, other = make.workshop("Mine"), make.workshop("Other")
    p = make.participant(mine)
    b = make.round(mine, "brainstorm", "Ideas", open_=True)
    [idea] = make.ideas(b, [p], ["An idea"])
    c = make.round(mine, "comment", "Measures", items="One\nTwo", open_=True)
    comment, _ = transaction.run(lambda: comments.submit_comment(p, c, op_id=op_id(), item_index=0, text="Yes"))
    ws = make.round(mine, "worksheet", "Work out", source=b, top_k=1, open_=True)
    [sheet] = transaction.run(lambda: worksheets.ensure_worksheets(ws))
    survey = transaction.run(lambda: surveys.create_survey(mine, title="After"))
    item = transaction.run(lambda: agenda.add_item(mine, start="09:00", title="Welcome"))
    group = transaction.run(lambda: roster.add_group(mine, "Table 1"))
    return mine, other, {
        "round": (rounds.get_round, b.id, "unknown_round", "That round does not exist in this workshop."),
        "idea": (ideas.get_idea, idea.id, "unknown_idea", "That idea does not exist in this workshop."),
        "comment": (comments.get_comment, comment.id, "unknown_comment", "That comment does not exist in this workshop."),
        "worksheet": (worksheets.get_worksheet, sheet.id, "unknown_worksheet", "That worksheet does not exist in this workshop."),
        "survey": (surveys.get_survey, survey.id, "unknown_survey", "That survey does not exist in this workshop."),
        "agenda item": (agenda.get_item, item.id, "unknown_agenda_item", "That agenda item does not exist in this workshop."),
        "participant": (roster.get_participant, p.id, "unknown_participant", "That participant is not in this workshop."),
        "group": (roster.get_group, group.id, "unknown_group", "That group does not exist in this workshop."),
    }


@pytest.mark.parametrize("thing", ["round", "idea", "comment", "worksheet", "survey", "agenda item", "participant", "group"])
def test_each_lookup_finds_its_own_and_refuses_the_rest(two, thing):
    mine, other, lookups = two
    get, record_id, code, message = lookups[thing]
    assert get(mine, record_id).id == record_id
    assert get(mine, str(record_id)).id == record_id
    for workshop, asked in ((other, record_id), (mine, 999999)):
        with pytest.raises(NotFound) as exc:
            get(workshop, asked)
        assert (exc.value.code, exc.value.message, exc.value.status) == (code, message, 404)
    for bad in (None, "", "abc", 0, -1, "1.5"):
        with pytest.raises(DomainError) as exc:
            get(mine, bad)
        assert exc.value.code == "bad_request" and thing in exc.value.message
