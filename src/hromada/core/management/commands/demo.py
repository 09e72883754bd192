from __future__ import annotations

import importlib
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from hromada.accounts.demo import DEMO_PASSWORD
from hromada.core.management.commands.serve import serve

# Reference data first, then the accounts, then the modules that use both.
# Registries before services: road reports in the demo are linked to the demo roads.
ORDER = ["core", "accounts", "registries"]


def demo_builders():
    labels = ORDER + [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("hromada.") and config.label not in ORDER
    ]
    for label in labels:
        config = apps.get_app_config(label)
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError:
            continue
        yield label, module


class Command(BaseCommand):
    help = "Create or refresh the demo database (idempotent), print the demo accounts, serve."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true")

    def handle(self, *args, **options):
        started = time.monotonic()
        self.stdout.write("Hromada demo: applying migrations …")
        call_command("migrate", interactive=False, verbosity=0)
        accounts: list[tuple[str, str, str]] = []
        modules = list(demo_builders())
        for label, module in modules:
            self.stdout.write(f"Building demo data: {label}")
            accounts += module.build(stdout=self.stdout) or []
        # Then what depends on every module's data, e.g. live indicators measuring them.
        for _label, module in modules:
            if hasattr(module, "finish"):
                module.finish(stdout=self.stdout)
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.0f} s.\n")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        width = max(len(email) for _role, email, _secret in accounts)
        for role, email, secret in accounts:
            self.stdout.write(f"  {email:<{width}}  {role:<32}  TOTP key: {secret}")
        self.stdout.write(
            "Staff sign in with a TOTP code: add the key to an authenticator app, or use the\n"
            "demo hint on the sign-in page. Residents can also use the demo e-ID.\n"
        )
        if not options["no_serve"]:
            serve(host=options["host"], port=options["port"], stdout=self.stdout)
