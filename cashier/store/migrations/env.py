"""Alembic environment: always run by ``cashier.store.schema`` with a connection it opened."""

from alembic import context

from cashier.store.models import Base

connection = context.config.attributes["connection"]


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # The FTS5 search index and its shadow tables are managed by cashier.search_index.
    return not (type_ == "table" and name and name.startswith("account_search"))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
    include_object=include_object,
)
context.run_migrations()
