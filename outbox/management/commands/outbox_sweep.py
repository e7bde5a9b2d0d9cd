from django.core.management.base import BaseCommand

from outbox import services


class Command(BaseCommand):
    help = (
        "Send or re-queue every due, unsent email in the outbox (what Celery beat does every minute). "
        "Without a worker (CELERY_TASK_ALWAYS_EAGER) the emails are sent by this command."
    )

    def handle(self, *args, **options):
        count = services.outbox_sweep()
        self.stdout.write(f"{count} email(s) due")
