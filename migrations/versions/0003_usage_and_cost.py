"""Usage and cost per turn (cached and cache-write tokens, exact cost) and the service's usage per day.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 07:30:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cached_input_tokens', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cache_write_input_tokens', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cost_pico_usd', sa.BigInteger(), nullable=True))

    op.create_table('daily_usage',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('turns', sa.Integer(), nullable=False),
    sa.Column('input_tokens', sa.BigInteger(), nullable=False),
    sa.Column('output_tokens', sa.BigInteger(), nullable=False),
    sa.Column('cached_input_tokens', sa.BigInteger(), nullable=False),
    sa.Column('cache_write_input_tokens', sa.BigInteger(), nullable=False),
    sa.Column('cost_pico_usd', sa.BigInteger(), nullable=False),
    sa.Column('unpriced_turns', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )


def downgrade() -> None:
    op.drop_table('daily_usage')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('cost_pico_usd')
        batch_op.drop_column('cache_write_input_tokens')
        batch_op.drop_column('cached_input_tokens')
