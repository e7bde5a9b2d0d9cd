"""The reminder scan by hand: for the embedded mode without a worker, or to catch up at once."""

from django.core.management.base import BaseCommand

from governance import services
from outbox.services import outbox_sweep


class Command(BaseCommand):
    help = (
        "Write the meeting reminders and notices that are due (each once) to the outbox, as Celery "
        "beat does, then sweep the outbox (without a worker, that sends them)."
    )

    def handle(self, *args, **options):
        queued = services.notices_due()
        swept = outbox_sweep()
        self.stdout.write(
            f"Meeting notices: {len(queued)} due and written to the outbox; "
            f"{swept} earlier email(s) queued again by the sweep."
        )
