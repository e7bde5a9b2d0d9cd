"""The reminder scan by hand: for the embedded mode without a worker, or to catch up at once."""

from django.core.management.base import BaseCommand

from governance import services
from governance.tasks import send_meeting_notice


class Command(BaseCommand):
    help = "Send the meeting reminders and notices that are due (each once), as Celery beat does."

    def handle(self, *args, **options):
        ids = services.notices_due()
        results = {"sent": 0, "skipped": 0, "failed": 0}
        for notice_id in ids:
            # Run in this process: the same task, the same claim, so it never doubles a worker's send.
            result = send_meeting_notice.apply(args=[notice_id])
            if result.failed():
                results["failed"] += 1
            else:
                outcome = result.get()
                results["sent" if outcome == "sent" else "skipped" if outcome == "skipped" else "failed"] += 1
        self.stdout.write(
            f"Meeting notices: {len(ids)} due, {results['sent']} sent, "
            f"{results['skipped']} already handled, {results['failed']} failed (will be retried)."
        )
