"""Every write to the news and the newsletter goes through here: admin, pages, demo data and tests.

News: a draft is written in the admin and published; a published item can be changed or
withdrawn (its address then answers 410). The newsletter: an address subscribes (pending), its
owner confirms through the link we email (double opt-in), and leaves with one click from any
issue (RFC 8058). An issue is sent through Celery in batches: one outbox email per subscriber,
keyed by issue and subscriber, so a batch that runs twice (a retried task, a resumed send)
sends nobody a second copy.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import audit_record, changes, snapshot
from knowledge import newsletter
from knowledge.models import (
    RESERVED_SLUGS,
    IssueStatus,
    NewsItem,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterLanguage,
    NewsStatus,
    Subscriber,
    SubscriberStatus,
    _unsubscribe_token,
)
from knowledge.services import _DANISH_LETTERS

NEWS_FIELDS = ("title_da", "title_en", "summary_da", "summary_en", "body_da", "body_en", "slug")
ISSUE_FIELDS = ("subject_da", "subject_en", "intro_da", "intro_en")
NEWS_RESERVED = {"feed", "newsletter"}
# Emails per batch task: small enough that a task ends in seconds, large enough to be few tasks.
BATCH_SIZE = 200


def news_slug_for(title: str, *, exclude_pk: int | None = None) -> str:
    """A free address under /news/ made from the title, as the library makes its own."""
    base = slugify(title.translate(_DANISH_LETTERS))[:100].strip("-") or "news"
    if base in NEWS_RESERVED | RESERVED_SLUGS:
        base = f"{base}-news"
    taken = NewsItem.objects.exclude(pk=exclude_pk) if exclude_pk else NewsItem.objects.all()
    slug, n = base, 1
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _validate_news(item: NewsItem) -> None:
    if not item.slug:
        item.slug = news_slug_for(item.title_da, exclude_pk=item.pk)
    if item.slug in NEWS_RESERVED:
        raise ValidationError({"slug": _("This address is taken by a page of the portal; choose another.")})
    item.full_clean()


@transaction.atomic
def news_create(*, actor, **fields) -> NewsItem:
    """A new draft; ``fields`` are any of ``NEWS_FIELDS``; the address is made from the title."""
    unknown = set(fields) - set(NEWS_FIELDS)
    if unknown:
        raise TypeError(f"news_create got unknown fields: {sorted(unknown)}")
    item = NewsItem(**fields, author=actor if getattr(actor, "is_authenticated", False) else None)
    _validate_news(item)
    item.save()
    audit_record(actor=actor, obj=item, action="knowledge.news.created", data={"title_da": item.title_da})
    return item


@transaction.atomic
def news_update(*, item: NewsItem, actor, **fields) -> NewsItem:
    unknown = set(fields) - set(NEWS_FIELDS)
    if unknown:
        raise TypeError(f"news_update got unknown fields: {sorted(unknown)}")
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item, fields)
    for name, value in fields.items():
        setattr(item, name, value)
    _validate_news(item)
    item.updated_at = timezone.now()
    item.save()
    audit_record(actor=actor, obj=item, action="knowledge.news.changed", data=changes(before, item))
    return item


@transaction.atomic
def news_publish(*, item: NewsItem, actor, at: datetime.datetime | None = None) -> NewsItem:
    """Make a draft or a withdrawn item public. The first publication date is kept on a republish."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if item.status == NewsStatus.PUBLISHED:
        raise ValidationError(_("This news item is already published."))
    item.status = NewsStatus.PUBLISHED
    item.published_at = item.published_at or at or timezone.now()
    item.updated_at = timezone.now()
    item.save()
    audit_record(
        actor=actor,
        obj=item,
        action="knowledge.news.published",
        data={"published_at": item.published_at.isoformat()},
    )
    return item


@transaction.atomic
def news_withdraw(*, item: NewsItem, actor) -> NewsItem:
    """Take a published item off the news; its address answers 410 Gone."""
    item = NewsItem.objects.select_for_update().get(pk=item.pk)
    if item.status != NewsStatus.PUBLISHED:
        raise ValidationError(_("Only a published news item can be withdrawn."))
    item.status = NewsStatus.WITHDRAWN
    item.updated_at = timezone.now()
    item.save()
    audit_record(actor=actor, obj=item, action="knowledge.news.withdrawn")
    return item


# --- Subscribers ----------------------------------------------------------------------------------


def _subscriber_for_update(email: str) -> Subscriber | None:
    return Subscriber.objects.select_for_update().filter(email__iexact=email).first()


@transaction.atomic
def subscriber_subscribe(*, email: str, language: str, actor=None) -> Subscriber:
    """Put an address on the list. Pending until confirmed, unless it is the signed-in person's
    own verified address (then it is confirmed at once: the address is already proven theirs).

    The confirmation email goes once a day at most per address, so the form cannot be used to
    flood someone's inbox. The page says the same whatever the address's state, so it tells no
    one who is subscribed.
    """
    email = email.strip()
    validate_email(email)
    if language not in NewsletterLanguage.values:
        raise ValidationError({"language": _("Choose Danish or English.")})
    user = actor if getattr(actor, "is_authenticated", False) else None
    own_address = user is not None and _is_verified_address(user, email)
    subscriber = _subscriber_for_update(email)
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email, language=language, user=user if own_address else None
                )
        except IntegrityError:  # someone subscribed the same address a moment ago
            subscriber = _subscriber_for_update(email)
            assert subscriber is not None
    elif subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        # Back on the list: a new secret, so links in the issues received before stop working.
        subscriber.status = SubscriberStatus.PENDING
        subscriber.token = _unsubscribe_token()
        subscriber.confirmed_at = subscriber.unsubscribed_at = None
    if subscriber.status != SubscriberStatus.CONFIRMED:
        subscriber.language = language
    if user is not None and subscriber.user_id is None and own_address:
        subscriber.user = user
    subscriber.save()
    audit_record(
        actor=actor,
        obj=subscriber,
        action="knowledge.subscriber.subscribed",
        data={"language": subscriber.language},
    )
    if subscriber.status == SubscriberStatus.PENDING:
        if own_address:
            return _confirm(subscriber, actor=actor)
        newsletter.confirmation_queue(subscriber)
    return subscriber


def _is_verified_address(user, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _confirm(subscriber: Subscriber, *, actor) -> Subscriber:
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    audit_record(actor=actor, obj=subscriber, action="knowledge.subscriber.confirmed")
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber, actor=None) -> Subscriber:
    """The address's owner followed the link: on the list from the next issue. Safe to repeat."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return subscriber
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        raise ValidationError(_("This address has been unsubscribed. Subscribe again to get the newsletter."))
    return _confirm(subscriber, actor=actor)


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, actor=None, how: str = "link") -> Subscriber:
    """Off the list at once; nothing more is sent. Safe to repeat (a second click changes nothing)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return subscriber
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    audit_record(actor=actor, obj=subscriber, action="knowledge.subscriber.unsubscribed", data={"how": how})
    return subscriber


@transaction.atomic
def subscriber_set_language(*, subscriber: Subscriber, actor, language: str) -> Subscriber:
    """The language of the issues this address gets (a reader's request to the secretariat)."""
    if language not in NewsletterLanguage.values:
        raise ValidationError({"language": _("Choose Danish or English.")})
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    before = subscriber.language
    subscriber.language = language
    subscriber.save(update_fields=["language"])
    audit_record(
        actor=actor,
        obj=subscriber,
        action="knowledge.subscriber.changed",
        data={"language": [before, language]},
    )
    return subscriber


# --- Issues -------------------------------------------------------------------------------------


def default_news(*, since: datetime.datetime | None = None) -> list[NewsItem]:
    """What a new issue links to by default: the news published since the last issue was sent."""
    if since is None:
        last = (
            NewsletterIssue.objects.exclude(status=IssueStatus.DRAFT)
            .order_by("-started_at")
            .values_list("started_at", flat=True)
            .first()
        )
        since = last
    news = NewsItem.objects.published().order_by("-published_at")
    if since is not None:
        news = news.filter(published_at__gt=since)
    return list(news[:20])


@transaction.atomic
def issue_create(*, actor, news: Iterable[NewsItem] | None = None, **fields) -> NewsletterIssue:
    """A draft issue; without ``news`` it links to the news published since the last issue."""
    unknown = set(fields) - set(ISSUE_FIELDS)
    if unknown:
        raise TypeError(f"issue_create got unknown fields: {sorted(unknown)}")
    issue = NewsletterIssue(**fields)
    issue.full_clean()
    issue.save()
    issue.news.set(list(news) if news is not None else default_news())
    audit_record(
        actor=actor, obj=issue, action="knowledge.issue.created", data={"subject_da": issue.subject_da}
    )
    return issue


@transaction.atomic
def issue_update(
    *, issue: NewsletterIssue, actor, news: Iterable[NewsItem] | None = None, **fields
) -> NewsletterIssue:
    unknown = set(fields) - set(ISSUE_FIELDS)
    if unknown:
        raise TypeError(f"issue_update got unknown fields: {sorted(unknown)}")
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise ValidationError(_("An issue that has been sent cannot be changed."))
    before = snapshot(issue, fields)
    for name, value in fields.items():
        setattr(issue, name, value)
    issue.full_clean()
    issue.save()
    data: dict = changes(before, issue)
    if news is not None:
        old = sorted(issue.news.values_list("pk", flat=True))
        issue.news.set(list(news))
        new = sorted(n.pk for n in news)
        if old != new:
            data["news"] = [old, new]
    audit_record(actor=actor, obj=issue, action="knowledge.issue.changed", data=data)
    return issue


@transaction.atomic
def issue_send(*, issue: NewsletterIssue, actor) -> NewsletterIssue:
    """Start sending a draft to every confirmed subscriber; the batches run on the worker."""
    from knowledge.news_tasks import newsletter_send_batch

    issue = NewsletterIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != IssueStatus.DRAFT:
        raise ValidationError(_("This issue has already been sent."))
    if not issue.news.exists() and not (issue.intro_da.strip() or issue.intro_en.strip()):
        raise ValidationError(_("The issue is empty: write an introduction or choose news for it."))
    count = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED).count()
    if count == 0:
        raise ValidationError(_("Nobody has subscribed yet: there is no one to send the issue to."))
    issue.status = IssueStatus.SENDING
    issue.started_at = timezone.now()
    issue.recipient_count = count
    issue.sent_by = actor if getattr(actor, "is_authenticated", False) else None
    issue.save()
    audit_record(actor=actor, obj=issue, action="knowledge.issue.sent", data={"recipients": count})
    newsletter_send_batch.delay(issue.pk)  # after commit (OnCommitTask)
    return issue


@transaction.atomic
def issue_queue_batch(*, issue_id: int, size: int = BATCH_SIZE) -> bool:
    """Write the next ``size`` subscribers' emails to the outbox; True while more remain.

    The issue row is locked, so two tasks for one issue take turns; the keys make a batch that
    is run again (a retried task) queue nothing twice. Subscribers who confirm while the issue
    is being sent get it too when their turn comes; those who leave meanwhile do not.
    """
    issue = NewsletterIssue.objects.select_for_update().get(pk=issue_id)
    if issue.status != IssueStatus.SENDING:
        return False
    batch = list(
        Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED, pk__gt=issue.cursor).order_by("pk")[
            :size
        ]
    )
    if not batch:
        issue.status = IssueStatus.SENT
        issue.queued_at = timezone.now()
        issue.recipient_count = issue.deliveries.count()
        issue.save(update_fields=["status", "queued_at", "recipient_count"])
        return False
    content = newsletter.IssueContent.of(issue)
    done = set(
        NewsletterDelivery.objects.filter(issue=issue, subscriber__in=batch).values_list(
            "subscriber_id", flat=True
        )
    )
    rows = []
    for subscriber in batch:
        if subscriber.pk in done:
            continue
        email = newsletter.issue_email_queue(issue, content, subscriber)
        rows.append(NewsletterDelivery(issue=issue, subscriber=subscriber, email=email))
    NewsletterDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    issue.cursor = batch[-1].pk
    # Subscribers who confirmed after the send began are counted as their batch comes.
    issue.recipient_count = max(
        issue.recipient_count, issue.deliveries.count() + _remaining_after(issue.cursor)
    )
    issue.save(update_fields=["cursor", "recipient_count"])
    return True


def _remaining_after(cursor: int) -> int:
    return Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED, pk__gt=cursor).count()


def issue_resume(*, issue: NewsletterIssue, actor) -> None:
    """Queue the next batch again (a lost task, a stopped worker); harmless if one is running."""
    from knowledge.news_tasks import newsletter_send_batch

    if issue.status != IssueStatus.SENDING:
        raise ValidationError(_("Only an issue being sent can be resumed."))
    audit_record(actor=actor, obj=issue, action="knowledge.issue.resumed", data={"cursor": issue.cursor})
    newsletter_send_batch.delay(issue.pk)
