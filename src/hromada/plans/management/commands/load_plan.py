from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hromada.plans.services.loader import PlanFileError, plan_load


class Command(BaseCommand):
    help = "Load an action plan from a YAML file (idempotent; nothing is saved on any fault)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            plan = plan_load(path=path)
        except PlanFileError as error:
            raise CommandError(str(error)) from error
        measures = sum(c.measures.count() for c in plan.commitments.all())
        self.stdout.write(
            f"loaded “{plan.title}”: {plan.commitments.count()} commitments, {measures} measures"
        )
