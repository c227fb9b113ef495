"""Alembic environment: always run by ``cashier.store.schema`` with a connection it opened."""

from alembic import context

from cashier.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
context.run_migrations()
