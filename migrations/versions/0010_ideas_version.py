"""workshop.ideas_version: lets a vote reuse the ideas it read while they are unchanged

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ideas_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('ideas_version')
