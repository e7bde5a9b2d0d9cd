# Load the Celery app with Django so that @shared_task binds to it and
# transaction-aware queueing works from web processes and management commands alike.
from atmp_portal.celery import app as celery_app

__all__ = ("celery_app",)
