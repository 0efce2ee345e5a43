"""Alembic's entry point. `Store` runs it on its own connection (config.attributes); the
`alembic` command (alembic.ini at the repository root) runs it on `-x db=URL` or the ini's
`sqlalchemy.url`. Search objects are left out of autogenerate: they differ per backend and
are written by hand in the revisions."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from newsprism.store.migrations import include_object
from newsprism.store.schema import metadata

if context.config.config_file_name:  # the `alembic` command: log what it runs
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)


def _url() -> str:
    from newsprism.store.database import database_url

    url = context.get_x_argument(as_dictionary=True).get("db") or context.config.get_main_option(
        "sqlalchemy.url")
    if not url:
        raise SystemExit("no database: pass -x db=URL (or a path to a SQLite file)")
    return database_url(url)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER via table copies
        compare_type=True,
    )


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, include_object=include_object,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    else:
        engine = create_engine(_url(), poolclass=NullPool)
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
