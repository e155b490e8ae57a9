"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL.

A column added to a model without a migration (or a migration that differs
from its model: a type, an index, a foreign key) would work in the tests'
freshly built tables and fail on a real database that was upgraded.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.models import Base


def test_the_upgraded_database_matches_the_models(db_app):
    with db_app.app_context(), db_app.extensions["engine"].connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
