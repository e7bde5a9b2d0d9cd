from django.core.management.base import BaseCommand
from django.db import transaction

from pages.loading import run_loaders


class Command(BaseCommand):
    help = (
        "Load the reference data of the Terms of Reference (organisations, bodies, analyses, "
        "allocations). Safe to run again: a second run changes nothing."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            report = run_loaders("reference_data")
        for line in report:
            self.stdout.write(line)
