from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo_data import DEMO_EMAIL_DOMAIN
from accounts.models import User
from pages.loading import run_loaders

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


class Command(BaseCommand):
    help = "Add demo users and a few realistic records for a local trial (`make run`). Never on a server."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo data is for local trials only: DEBUG is off. Use --force if you mean it."
            )
        others = User.objects.exclude(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")
        if others.exists():
            # The demo users' password is printed in the README: in a database with real accounts
            # (a server, a copy of one) they would be a way in, the secretariat one with the admin.
            raise CommandError(
                f"This database already holds {others.count()} account(s) that are not demo accounts "
                f"(@{DEMO_EMAIL_DOMAIN}), so demo users with a published password are not added. "
                "Use a database of its own for a trial, e.g. DATABASE_URL=sqlite:///demo.sqlite3 make run."
            )
        with transaction.atomic():
            report = run_loaders("reference_data") + run_loaders("demo_data")
        for line in report:
            self.stdout.write(line)
        if settings.EMAIL_BACKEND == FILE_BACKEND:
            # `make run` loads with EMAIL_BACKEND=file: the demo's receipts and notices (hundreds of
            # lines) would otherwise scroll the logins off the screen. Say where they went.
            folder = _shown(str(settings.EMAIL_FILE_PATH))
            self.stdout.write("")
            self.stdout.write(f"Emails the demo data caused are files in {folder}/.")


def _shown(folder: str) -> str:
    """The folder relative to the working directory when it is inside it (var/outbox), else as is."""
    path = Path(folder).resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
