"""The ``hromada`` command: Django's management commands plus Hromada's own.

``hromada serve``, ``hromada demo``, ``hromada load-plan FILE``, ``hromada audit verify``
and every ``manage.py`` command (``migrate``, ``check --deploy``, ``createsuperuser`` …).
"""

from __future__ import annotations

import os
import sys

USAGE = """usage: hromada COMMAND [options]

Hromada commands:
  serve [--port N] [--host H] [--dev]   apply migrations and serve the site
  demo [--port N] [--no-serve]          build the demo database and serve it
  load-plan FILE                        load an action plan from a YAML file
  audit verify                          check the audit log's hash chain
  calendar load [FILE]                  load the working-day calendar
  import REGISTRY FILE [--replace]      import a file into a registry (all or nothing)
  plan_daily                            run the action plan's daily jobs now

Every Django management command works too (hromada help lists them)."""

ALIASES = {"load-plan": "load_plan"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(USAGE)
        return 0 if args else 2
    name = ALIASES.get(args[0], args[0])
    if name == "demo":
        # Demo mode switches on the labelled demo identity provider and hints.
        os.environ.setdefault("HROMADA_DEMO", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hromada.settings")

    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        print(f"hromada: configuration error: {error}", file=sys.stderr)
        return 1

    from django.core.management import execute_from_command_line, get_commands

    if name not in get_commands() and name not in {"help", "version", "--version"}:
        print(f"hromada: unknown command {args[0]!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["hromada", name, *args[1:]])
    except ImproperlyConfigured as error:
        print(f"hromada: configuration error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
