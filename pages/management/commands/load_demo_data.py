from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from pages.loading import run_loaders


class Command(BaseCommand):
    help = "Add demo users and a few realistic records for a local trial (`make run`). Never on a server."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demo data is for local trials only: DEBUG is off. Use --force if you mean it."
            )
        with transaction.atomic():
            report = run_loaders("reference_data") + run_loaders("demo_data")
        for line in report:
            self.stdout.write(line)
