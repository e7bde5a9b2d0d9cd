"""The reminder scan by hand: for the embedded mode without a worker, or to catch up at once."""

from django.core.management.base import BaseCommand

from governance import services
from governance.tasks import NoticeNotSent, deliver_notice


class Command(BaseCommand):
    help = "Send the meeting reminders and notices that are due (each once), as Celery beat does."

    def handle(self, *args, **options):
        ids = services.notices_due()
        results = {"sent": 0, "skipped": 0, "failed": 0}
        for notice_id in ids:
            # The same claim as the worker's task, so this never doubles a worker's send.
            try:
                results[deliver_notice(notice_id)] += 1
            except NoticeNotSent:
                results["failed"] += 1
        self.stdout.write(
            f"Meeting notices: {len(ids)} due, {results['sent']} sent, "
            f"{results['skipped']} already handled, {results['failed']} not accepted by the mail server "
            "(tried again on the next run)."
        )
