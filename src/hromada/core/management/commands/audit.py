from django.core.management.base import BaseCommand, CommandError

from hromada.core.audit import verify_chain
from hromada.core.models import AuditEvent


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the SHA-256 hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        fault = verify_chain()
        if fault is not None:
            raise CommandError(f"audit chain broken at event #{fault.event_id}: {fault.reason}")
        self.stdout.write(f"audit chain intact: {AuditEvent.objects.count()} events")
