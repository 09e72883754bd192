from pathlib import Path

from django.core.management.base import BaseCommand

from hromada.core.services import CALENDAR_FILE, calendar_load


class Command(BaseCommand):
    help = "Load the working-day calendar (holidays and transfers) from a YAML file."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"])
        parser.add_argument("file", nargs="?", default=str(CALENDAR_FILE))

    def handle(self, *args, **options):
        changed = calendar_load(path=Path(options["file"]))
        self.stdout.write(f"calendar loaded: {changed} days added or changed")
