"""Alembic environment: runs against the connection the portal hands it."""

from alembic import context

from portal.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations with `flask --app portal db upgrade`.")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
