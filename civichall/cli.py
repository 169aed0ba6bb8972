"""The `civichall` console command.

A thin wrapper around Django's management commands with the project's
settings preselected, so operators type `civichall migrate`,
`civichall demo` or `civichall worker` instead of `django-admin ... --settings`.

A command that fails because the database is not there or not migrated
says so in one line ("run civichall migrate first") instead of a traceback;
``--traceback`` still shows the whole story.

``civichall demo`` and ``civichall load_demo`` install the demo app
(``CIVICHALL_DEMO=1``) unless the environment says otherwise.
"""

import os
import sys

DEMO_COMMANDS = {"demo", "load_demo"}
NOT_MIGRATED = "The database is not migrated (yet): run civichall migrate first."
UNREACHABLE = "The database cannot be reached ({reason}): check DATABASE_URL."


def database_problem(error):
    """One line for operators when ``error`` comes from a database that is
    missing, unreachable or not migrated; None for any other failure."""
    from django.db import DatabaseError

    if not isinstance(error, DatabaseError):
        return None
    return migration_problem(fresh_connection=True)


def migration_problem(fresh_connection=False):
    """One line when the database is unreachable or not fully migrated, else
    None. For commands that would otherwise start work that cannot succeed
    (the worker); after a failure, on a fresh connection (not one in a
    failed transaction)."""
    from django.db import DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections["default"]
    try:
        if fresh_connection:
            connection.close()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as unreachable:
        reason = (str(unreachable).strip().splitlines() or [type(unreachable).__name__])[0]
        return UNREACHABLE.format(reason=reason)
    return NOT_MIGRATED if plan else None


def main(argv=None):
    """Run a management command, e.g. ``civichall demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "civichall"
    if len(argv) > 1 and argv[1] in DEMO_COMMANDS:
        # Their commands live in the demo app; settings read this on import.
        os.environ.setdefault("CIVICHALL_DEMO", "1")
    try:
        execute_from_command_line(argv)
    except Exception as error:  # noqa: BLE001 - turned into one line, or raised again
        if "--traceback" in argv:
            raise
        message = database_problem(error)
        if message is None:
            raise
        sys.stderr.write(f"civichall {argv[1] if len(argv) > 1 else ''}: {message}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
