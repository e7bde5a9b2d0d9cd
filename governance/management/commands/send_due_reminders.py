"""The periodic scans by hand: what `make run` does at start-up (no worker, no beat), or to catch up."""

from django.core.management.base import BaseCommand

from governance import services
from governance.due import due_scan
from outbox.models import OutboundEmail
from outbox.services import outbox_sweep


class Command(BaseCommand):
    help = (
        "Write the meeting reminders and notices, the weekly digest and the term-ending and "
        "overdue-action notices that are due (each once) to the outbox, as Celery beat does, then "
        "sweep the outbox (without a worker, that sends them). Lists the emails it wrote."
    )

    def handle(self, *args, **options):
        before = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        queued = services.notices_due()
        due = due_scan()
        swept = outbox_sweep()
        self.stdout.write(
            f"Meeting notices: {len(queued)} due and written to the outbox; "
            f"what is due: {len(due)} email(s) (digest, terms ending, actions overdue) written; "
            f"{swept} earlier email(s) queued again by the sweep."
        )
        written = OutboundEmail.objects.filter(pk__gt=before).order_by("pk").values_list("to", "subject")
        for to, subject in written:
            self.stdout.write(f"  {', '.join(to)}: {subject}")
