from django.core.management.base import BaseCommand
from django.utils import timezone

from hromada.plans.services.indicators import indicators_snapshot
from hromada.plans.tasks import measure_reminders_send


class Command(BaseCommand):
    help = "Run the action plan's daily jobs now (indicator snapshots, term reminders); safe to repeat."

    def handle(self, *args, **options):
        today = timezone.localdate()
        snapshots = indicators_snapshot(on=today)
        reminders = measure_reminders_send(on=today)
        self.stdout.write(f"{snapshots} live indicator values stored, {reminders} reminders sent")
