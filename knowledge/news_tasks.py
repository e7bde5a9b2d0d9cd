"""The newsletter's send, batch by batch, on the worker (imported by ``KnowledgeConfig.ready``)."""

from celery import shared_task

from knowledge import news_services


@shared_task(acks_late=True)
def newsletter_send_batch(issue_id: int) -> bool:
    """Queue one batch of an issue's emails, then the next batch; safe to run twice.

    Each batch commits before the next is queued (OnCommitTask), so a worker killed mid-send
    loses at most the batch it held, and "Resume sending" in the admin (or this task run again)
    picks up at the issue's cursor without a second copy to anyone.
    """
    more = news_services.issue_queue_batch(issue_id=issue_id)
    if more:
        newsletter_send_batch.delay(issue_id)
    return more
