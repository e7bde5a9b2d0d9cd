"""The newsletter's emails and links: confirmation (double opt-in) and the issue itself.

Links in these emails:

* the confirmation link is signed and expires after ``CONFIRM_DAYS`` days (a forged or old link
  gets a page that says so and offers to subscribe again);
* the unsubscribe link carries the subscriber's own random token and never expires: a
  newsletter read months later must still let its reader leave with one click. Every issue
  also carries ``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``
  (RFC 8058), so the mail client's own "unsubscribe" button works without opening the portal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from knowledge.models import NewsletterIssue, Subscriber
from knowledge.rendering import render_markdown
from outbox.models import OutboundEmail
from outbox.services import email_queue

CONFIRM_DAYS = 7
CONFIRM_SALT = "knowledge.newsletter.confirm"
LIST_ID = "ATMP Danmark newsletter <newsletter.atmp-danmark>"


def confirm_token(subscriber: Subscriber) -> str:
    # The token's start ties the link to this subscription: after unsubscribing and subscribing
    # again, an old confirmation link no longer fits.
    return signing.dumps({"s": subscriber.pk, "t": subscriber.token[:12]}, salt=CONFIRM_SALT, compress=True)


class BadLink(Exception):
    """A confirmation link that was forged, altered or has expired; ``expired`` says which."""

    def __init__(self, expired: bool):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def subscriber_for_confirm_token(token: str) -> Subscriber:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=datetime.timedelta(days=CONFIRM_DAYS))
    except signing.SignatureExpired:
        raise BadLink(expired=True) from None
    except signing.BadSignature:
        raise BadLink(expired=False) from None
    subscriber = Subscriber.objects.filter(pk=data.get("s")).first()
    if subscriber is None or not subscriber.token.startswith(str(data.get("t"))):
        raise BadLink(expired=False)
    return subscriber


def confirm_url(subscriber: Subscriber) -> str:
    return settings.SITE_URL + reverse("news:newsletter_confirm", args=[confirm_token(subscriber)])


def unsubscribe_url(subscriber: Subscriber) -> str:
    return settings.SITE_URL + reverse("news:newsletter_unsubscribe", args=[subscriber.token])


def confirmation_key(subscriber: Subscriber, today: datetime.date | None = None) -> str:
    """One confirmation email per address and day: the form cannot flood someone's inbox."""
    today = today or timezone.localdate()
    return f"knowledge:newsletter-confirm:{subscriber.pk}:{today.isoformat()}"


def confirmation_queue(subscriber: Subscriber) -> OutboundEmail:
    """The double opt-in email, in the language chosen on the form (inside the caller's transaction)."""
    with translation.override(subscriber.language):
        context = {
            "confirm_url": confirm_url(subscriber),
            "days": CONFIRM_DAYS,
            "news_url": settings.SITE_URL + reverse("news:list"),
            "contact_email": settings.CONTACT_EMAIL,
        }
        subject = _("Confirm your subscription to the ATMP Danmark newsletter")
        text = render_to_string("knowledge/news/email/confirm.txt", context)
        html = render_to_string("knowledge/news/email/confirm.html", context)
    return email_queue(
        key=confirmation_key(subscriber),
        to=[subscriber.email],
        subject=subject,
        text=text,
        html=html,
        language=subscriber.language,
        headers={"Auto-Submitted": "auto-generated"},
        sensitive=True,  # the link puts an address on the list
    )


@dataclass
class NewsLink:
    title: str
    summary: str
    url: str


@dataclass
class IssueContent:
    """What every copy of an issue shares, per language, worked out once per batch."""

    subject: dict[str, str]
    intro_html: dict[str, str]
    intro_text: dict[str, str]
    news: dict[str, list[NewsLink]]

    @classmethod
    def of(cls, issue: NewsletterIssue) -> IssueContent:
        news = list(issue.news.published().order_by("-published_at", "-pk"))
        content = cls(subject={}, intro_html={}, intro_text={}, news={})
        for language in ("da", "en"):
            content.subject[language] = issue.text("subject", language)[0]
            intro = issue.text("intro", language)[0]
            content.intro_text[language] = intro
            content.intro_html[language] = str(render_markdown(intro))
            content.news[language] = [
                NewsLink(
                    title=item.text("title", language)[0],
                    summary=item.text("summary", language)[0],
                    url=settings.SITE_URL + reverse("news:detail", args=[item.slug]),
                )
                for item in news
            ]
        return content


def issue_key(issue: NewsletterIssue, subscriber: Subscriber) -> str:
    return f"knowledge:newsletter:{issue.pk}:subscriber:{subscriber.pk}"


def issue_render(content: IssueContent, subscriber: Subscriber) -> dict[str, str]:
    """``subject``, ``text`` and ``html`` of one subscriber's copy, in their language."""
    language = subscriber.language if subscriber.language in content.subject else "da"
    with translation.override(language):
        context = {
            "subject": content.subject[language],
            "intro_html": content.intro_html[language],
            "intro_text": content.intro_text[language],
            "news": content.news[language],
            "unsubscribe_url": unsubscribe_url(subscriber),
            "news_url": settings.SITE_URL + reverse("news:list"),
            "contact_email": settings.CONTACT_EMAIL,
        }
        return {
            "language": language,
            "subject": content.subject[language],
            "text": render_to_string("knowledge/news/email/issue.txt", context),
            "html": render_to_string("knowledge/news/email/issue.html", context),
        }


def issue_email_queue(issue: NewsletterIssue, content: IssueContent, subscriber: Subscriber) -> OutboundEmail:
    """One subscriber's copy, in their language, with their own one-click unsubscribe."""
    copy = issue_render(content, subscriber)
    return email_queue(
        key=issue_key(issue, subscriber),
        to=[subscriber.email],
        subject=copy["subject"],
        text=copy["text"],
        html=copy["html"],
        language=copy["language"],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": LIST_ID,
            "Precedence": "bulk",
        },
    )
