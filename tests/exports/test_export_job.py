"""The export job and the command line build each file in the workshop's language, whatever
language the facilitator who asked for it speaks, in a job worker as in-process."""
from __future__ import annotations

import io

from docx import Document

from app import i18n
from app.extensions import db
from app.models import User
from tests.support.jobs import JSON, download


def _nynorsk_workshop(app, owner_id: int) -> str:
    """A nynorsk workshop with a closed rating round (mean 4.5) made by ``owner_id``, whose own
    language is bokmål; returns its code."""
    from app.services import ballots, ideas, participants, rounds, workshops

    with app.app_context():
        owner = db.session.get(User, owner_id)
        owner.language = "nb"
        w = workshops.create_workshop(owner, title="Dagen", language="nn")
        people = [participants.join(w, name=f"P{i}") for i in range(2)]
        brainstorm = rounds.add_round(w, kind="brainstorm", title="Idear")
        rounds.open_round(brainstorm)
        idea = ideas.submit_idea(people[0], brainstorm, op_id="op-nn-idea-0001", title="Felles plattform").idea
        score = rounds.add_round(w, kind="score", title="Stjerner", settings={"source_round_id": brainstorm.id})
        rounds.open_round(score)
        for n, (person, value) in enumerate(zip(people, (5, 4))):
            ballots.cast(person, score, op_id=f"op-nn-rate-{n:04d}", payload={"idea_id": idea.id, "value": value},
                         action="rate_idea")
        rounds.close_round(score)
        db.session.commit()
        return w.code


def test_the_job_worker_writes_the_workshops_language_not_the_facilitators(app, facilitator, job_worker):
    code = _nynorsk_workshop(app, facilitator.user["id"])
    # The facilitator's own pages speak bokmål: the job's progress heading too ...
    status = facilitator.get(f"/f/{code}/export.md", headers=JSON).get_json()
    assert status["heading"] == "Lager sammendraget…"
    # ... but the file speaks the workshop's nynorsk.
    md = download(facilitator, f"/f/{code}/export.md").get_data(as_text=True)
    for expected in ("Deltakarar: 2", "| Plass | Idé | Poeng |", "| 1 | Felles plattform | 4,5 |",
                     "Deltakarane vurderte kvar idé på ein skala frå 1 til 5.", "*Røystesetlar:* 2"):
        assert expected in md, expected
    assert "Deltakere" not in md and "Participants" not in md
    report = download(facilitator, f"/f/{code}/export.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(report.data)).paragraphs)
    assert "Rapport frå workshop" in text and "1 Samandrag" in text and "Rapport fra workshop" not in text


def test_the_export_job_speaks_the_workshops_language_inside_another(app, facilitator):
    from app.jobs.kinds import KINDS, JobContext
    from app.models import Job, Workshop
    from app.services import workshops

    code = _nynorsk_workshop(app, facilitator.user["id"])
    steps = []
    with app.app_context(), i18n.in_language("en"):  # as a runner speaking the facilitator's or the source language
        workshop = workshops.by_code(code)
        job = Job(kind="export", workshop_id=workshop.id, params={"format": "md"})
        output = KINDS["export"].run(JobContext(job, None, lambda *step: steps.append(step)))
        assert i18n.current() == "en"  # the runner's language again once the file is built
        assert db.session.get(Workshop, workshop.id).language == "nn"
    md = output.content.decode()
    assert output.filename == f"{code}-summary.md"
    assert "| 1 | Felles plattform | 4,5 |" in md and "Deltakarar: 2" in md
    assert steps[-1] == (1, 1, "steps")



def test_the_command_line_writes_the_workshops_language(app, facilitator):
    code = _nynorsk_workshop(app, facilitator.user["id"])
    result = app.test_cli_runner().invoke(args=["workshop", "export", code, "--format", "md", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "| 1 | Felles plattform | 4,5 |" in result.output and "Deltakarar: 2" in result.output
