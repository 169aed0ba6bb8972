"""The `civichall` console command.

A thin wrapper around Django's management commands with the project's
settings preselected, so operators type `civichall migrate`,
`civichall demo` or `civichall worker` instead of `django-admin ... --settings`.
"""

import os
import sys


def main(argv=None):
    """Run a management command, e.g. ``civichall demo``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civichall.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "civichall"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
