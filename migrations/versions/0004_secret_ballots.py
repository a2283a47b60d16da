"""secret ballots: no insertion order, no op records naming voters, no small sectors

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 00:00:00

The four tables that keep "who" apart from "what" (voter / secret_ballot, survey_respondent /
survey_response) are rebuilt without rowid on SQLite, the "who" tables keyed by participant.
Each table is rebuilt by copying its rows out, dropping it and creating it again (the move
and copy that batch mode does on SQLite, on every database): batch mode's copy would keep
the old order, and the point is to write the rows in a new one. Secret ballots and anonymous
answers are written back in random order with fresh ids, sectors of fewer than k ballots
dropped; voters and respondents in participant order. Records of applied secret submissions
move from ``client_op`` (which names the participant) to ``secret_op`` (a keyed hash).
"""
import hashlib
import hmac
import json
import random
import secrets
from collections import Counter

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

MIN_K = 3


def _json(value):
    return json.loads(value) if isinstance(value, str) else (value or {})


def _secret_key():
    try:
        from flask import current_app

        return str(current_app.config["SECRET_KEY"]).encode("utf-8")
    except (ImportError, RuntimeError, KeyError):
        return None


def _voter_table(name, scope, scope_table):
    return (
        sa.Column(scope, sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f(f'fk_{name}_participant_id_participant'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint([scope], [f'{scope_table}.id'], name=op.f(f'fk_{name}_{scope}_{scope_table}'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint(scope, 'participant_id', name=op.f(f'pk_{name}')),
    )


def upgrade():
    conn = op.get_bind()
    rng = random.SystemRandom()
    rounds = {rid: _json(settings) for rid, settings in conn.execute(sa.text("SELECT id, settings FROM round"))}
    anonymous_surveys = {sid for sid, anon in conn.execute(sa.text("SELECT id, anonymous FROM survey")) if anon}

    voters = sorted(conn.execute(sa.text("SELECT round_id, participant_id FROM voter")).all())
    ballots = [tuple(r) for r in conn.execute(sa.text("SELECT round_id, sector, content FROM secret_ballot"))]
    respondents = sorted(conn.execute(sa.text("SELECT survey_id, participant_id FROM survey_respondent")).all())
    responses = [tuple(r) for r in conn.execute(sa.text("SELECT survey_id, participant_id, answers FROM survey_response"))]

    op.drop_table('voter')
    op.drop_table('secret_ballot')
    op.drop_table('survey_respondent')
    op.drop_table('survey_response')

    voter = op.create_table('voter', *_voter_table('voter', 'round_id', 'round'), sqlite_with_rowid=False)
    secret_ballot = op.create_table(
        'secret_ballot',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('sector', sa.String(length=40), nullable=True),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_secret_ballot_round_id_round'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_secret_ballot')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_secret_ballot_round_id'), 'secret_ballot', ['round_id'], unique=False)
    survey_respondent = op.create_table('survey_respondent', *_voter_table('survey_respondent', 'survey_id', 'survey'),
                                        sqlite_with_rowid=False)
    survey_response = op.create_table(
        'survey_response',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_survey_response_participant_id_participant'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_response_survey_id_survey'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_survey_response_survey_id'), 'survey_response', ['survey_id'], unique=False)
    secret_op = op.create_table(
        'secret_op',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_secret_op_workshop_id_workshop'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_secret_op')),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f('ix_secret_op_workshop_id'), 'secret_op', ['workshop_id'], unique=False)

    # Secret ballots: random order, fresh ids, and no sector that fewer than k ballots share.
    by_round = {}
    for round_id, sector, content in ballots:
        by_round.setdefault(round_id, []).append({"round_id": round_id, "sector": sector, "content": _json(content) if isinstance(content, str) else content})
    rows = []
    for round_id, items in by_round.items():
        try:
            k = max(MIN_K, int((rounds.get(round_id) or {}).get("min_cell", MIN_K)))
        except (TypeError, ValueError):
            k = MIN_K
        counts = Counter(b["sector"] for b in items)
        rows += [{**b, "sector": b["sector"] if counts[b["sector"]] >= k else None} for b in items]
    rng.shuffle(rows)
    if rows:
        op.bulk_insert(secret_ballot, [{**b, "id": secrets.token_hex(16)} for b in rows])
    if voters:
        op.bulk_insert(voter, [{"round_id": r, "participant_id": p} for r, p in voters])

    answers = [{"survey_id": s, "participant_id": p, "answers": _json(a) if isinstance(a, str) else a} for s, p, a in responses]
    rng.shuffle(answers)
    if answers:
        op.bulk_insert(survey_response, [{**a, "id": secrets.token_hex(16)} for a in answers])
    if respondents:
        op.bulk_insert(survey_respondent, [{"survey_id": s, "participant_id": p} for s, p in respondents])

    # Applied secret submissions: a keyed hash in secret_op instead of a row naming the voter.
    key = _secret_key()
    ops = conn.execute(sa.text(
        "SELECT client_op.id, client_op.participant_id, client_op.op_id, client_op.kind, client_op.response, participant.workshop_id "
        "FROM client_op JOIN participant ON participant.id = client_op.participant_id "
        "WHERE client_op.kind IN ('submit_ballot', 'submit_survey')"
    )).all()
    secret_ids, digests = [], {}
    for op_row_id, participant_id, op_id, kind, response, workshop_id in ops:
        response = _json(response)
        if kind == 'submit_ballot':
            secret = bool((rounds.get(response.get("round_id")) or {}).get("anonymous"))
        else:
            secret = response.get("survey_id") in anonymous_surveys
        if not secret:
            continue
        secret_ids.append(op_row_id)
        if key is not None:
            message = f"tavle-secret-op\x00{participant_id}\x00{op_id}".encode("utf-8")
            digests[hmac.new(key, message, hashlib.sha256).hexdigest()] = workshop_id
    if digests:
        items = [{"digest": d, "workshop_id": w} for d, w in digests.items()]
        rng.shuffle(items)
        op.bulk_insert(secret_op, items)
    for start in range(0, len(secret_ids), 500):
        chunk = secret_ids[start:start + 500]
        conn.execute(sa.text("DELETE FROM client_op WHERE id IN (%s)" % ", ".join(str(int(i)) for i in chunk)))


def downgrade():
    conn = op.get_bind()
    voters = sorted(conn.execute(sa.text("SELECT round_id, participant_id FROM voter")).all())
    ballots = [tuple(r) for r in conn.execute(sa.text("SELECT id, round_id, sector, content FROM secret_ballot"))]
    respondents = sorted(conn.execute(sa.text("SELECT survey_id, participant_id FROM survey_respondent")).all())
    responses = [tuple(r) for r in conn.execute(sa.text("SELECT id, survey_id, participant_id, answers FROM survey_response"))]
    op.drop_index(op.f('ix_secret_op_workshop_id'), table_name='secret_op')
    op.drop_table('secret_op')
    for name in ('voter', 'secret_ballot', 'survey_respondent', 'survey_response'):
        op.drop_table(name)

    voter = op.create_table(
        'voter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_voter_participant_id_participant'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_voter_round_id_round'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_voter')),
        sa.UniqueConstraint('round_id', 'participant_id', name=op.f('uq_voter_round_id_participant_id')),
    )
    op.create_index(op.f('ix_voter_round_id'), 'voter', ['round_id'], unique=False)
    secret_ballot = op.create_table(
        'secret_ballot',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('sector', sa.String(length=40), nullable=True),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_secret_ballot_round_id_round'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_secret_ballot')),
    )
    op.create_index(op.f('ix_secret_ballot_round_id'), 'secret_ballot', ['round_id'], unique=False)
    survey_respondent = op.create_table(
        'survey_respondent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_survey_respondent_participant_id_participant'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_respondent_survey_id_survey'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_respondent')),
        sa.UniqueConstraint('survey_id', 'participant_id', name=op.f('uq_survey_respondent_survey_id_participant_id')),
    )
    op.create_index(op.f('ix_survey_respondent_survey_id'), 'survey_respondent', ['survey_id'], unique=False)
    survey_response = op.create_table(
        'survey_response',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_survey_response_participant_id_participant'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_response_survey_id_survey'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    )
    op.create_index(op.f('ix_survey_response_survey_id'), 'survey_response', ['survey_id'], unique=False)
    # Back to rowid tables, in an order that still says nothing (voters by participant, the rest random).
    if voters:
        op.bulk_insert(voter, [{"round_id": r, "participant_id": p} for r, p in voters])
    if ballots:
        op.bulk_insert(secret_ballot, [{"id": i, "round_id": r, "sector": s, "content": _json(c) if isinstance(c, str) else c} for i, r, s, c in ballots])
    if respondents:
        op.bulk_insert(survey_respondent, [{"survey_id": s, "participant_id": p} for s, p in respondents])
    if responses:
        op.bulk_insert(survey_response, [{"id": i, "survey_id": s, "participant_id": p, "answers": _json(a) if isinstance(a, str) else a} for i, s, p, a in responses])
