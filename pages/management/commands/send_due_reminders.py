"""Every periodic scan by hand: what `make run` does at start-up (no worker, no beat), or to catch up.

Here in ``pages``, which may import every app: the scans are governance's (meeting notices, the
weekly digest, terms ending, actions overdue), the events' (reminders for tomorrow's events) and
the network's (feasibility rounds past their deadline closed, reminders before a deadline, the
yearly confirmation requests). Each claims what it sends, as on beat, so running it again, or
next to beat, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from governance import services
from governance.due import due_scan
from knowledge import events_services
from network import services as network
from outbox.models import OutboundEmail
from outbox.services import outbox_sweep


class Command(BaseCommand):
    help = (
        "Write what Celery beat would write now to the outbox, each once: the meeting reminders and "
        "notices, the weekly digest, the term-ending and overdue-action notices, tomorrow's event "
        "reminders, feasibility rounds closed at their deadline and their reminders, and the "
        "directory's yearly confirmation requests. Then sweep the outbox (without a worker, that "
        "sends them). Lists the emails it wrote."
    )

    def handle(self, *args, **options):
        before = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        queued = services.notices_due()
        due = due_scan()
        events = events_services.reminders_queue()
        closed = sum(network.round_close(round_id=round_id) for round_id in network.rounds_due())
        round_reminders = network.round_reminders_queue()
        confirmations = network.confirmation_requests_queue()
        swept = outbox_sweep()
        self.stdout.write(
            f"Meeting notices: {len(queued)} due and written to the outbox; "
            f"what is due: {len(due)} email(s) (digest, terms ending, actions overdue) written; "
            f"event reminders: {events}; feasibility rounds closed: {closed}, reminded: {round_reminders}; "
            f"directory confirmation requests: {confirmations}; "
            f"{swept} earlier email(s) queued again by the sweep."
        )
        written = OutboundEmail.objects.filter(pk__gt=before).order_by("pk").values_list("to", "subject")
        for to, subject in written:
            self.stdout.write(f"  {', '.join(to)}: {subject}")
