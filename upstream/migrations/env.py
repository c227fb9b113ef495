"""Alembic environment of the upstream: run by ``upstream.db.upgrade`` with a connection it opened."""

from alembic import context

from upstream.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True,
                  render_as_batch=connection.dialect.name == "sqlite")
context.run_migrations()
