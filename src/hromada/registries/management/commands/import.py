"""``hromada import REGISTRY FILE``: import a file into a registry, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from hromada.registries.models import RegistryDefinition
from hromada.registries.services import ImportRejected, records_import


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8 or Windows-1251), XLSX, GeoJSON or zipped Shapefile into a registry. "
        "Every row is checked first; if any is wrong, nothing is imported and a report is printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("registry", help="the registry's key, e.g. communal_property")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="delete records that are not in the file"
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, registry: str, file: Path, replace: bool, no_progress: bool, **options):
        try:
            target = RegistryDefinition.objects.get(key=registry)
        except RegistryDefinition.DoesNotExist as missing:
            keys = ", ".join(RegistryDefinition.objects.values_list("key", flat=True))
            raise CommandError(f"No registry {registry!r}. Registries: {keys}") from missing
        if not file.is_file():
            raise CommandError(f"No file {file}")
        bar = tqdm(total=0, unit="row", desc="checking", disable=no_progress, file=self.stderr._out)

        def started(rows: int) -> None:
            bar.total = rows
            bar.refresh()

        try:
            result = records_import(
                actor=None,
                registry=target,
                filename=file.name,
                data=file.read_bytes(),
                replace=replace,
                progress=bar.update,
                on_rows=started,
            )
        except ImportRejected as rejected:
            bar.close()
            self.stderr.write(f"Nothing was imported: {rejected.total} problem(s).")
            self.stderr.write("row\tfield\tvalue\treason")
            for problem in rejected.problems:
                self.stderr.write(
                    f"{problem.row}\t{problem.field}\t{problem.value}\t{problem.reason}"
                )
            raise CommandError("import rejected") from rejected
        bar.close()
        self.stdout.write(
            f"{target.key}: {result.created} added, {result.updated} changed, "
            f"{result.unchanged} unchanged, {result.deleted} deleted."
        )
