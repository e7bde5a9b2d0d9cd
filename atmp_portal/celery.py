"""The Celery app. Broker and result backend come from REDIS_URL (see settings)."""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atmp_portal.settings")


class OnCommitTask(DjangoTask):
    """Queue only once the surrounding transaction has committed.

    A task queued inside a transaction that later rolls back would act on rows that never
    existed; one queued before commit could run before its rows are visible to the worker.
    Outside a transaction, ``delay``/``apply_async`` queue at once, as usual.
    """

    abstract = True

    # Same arguments as Task.apply_async; they are passed on whole, so only a catch-all is spelled out.
    def apply_async(self, args=None, kwargs=None, **options):  # type: ignore[override]
        if options.pop("_after_commit", False) or not transaction.get_connection().in_atomic_block:
            return super().apply_async(args, kwargs, **options)
        # robust: the change has committed; a broker error now must not turn it into a 500.
        # Whatever the task was for has to be recoverable from the database (see the outbox).
        transaction.on_commit(
            lambda: self.apply_async(args, kwargs, _after_commit=True, **options), robust=True
        )
        return None


app = Celery("atmp_portal", task_cls=OnCommitTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
