"""The newsletter: double opt-in, one-click unsubscribe (RFC 8058), an issue sent once to each."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from knowledge import news_services, newsletter
from knowledge.models import (
    IssueStatus,
    NewsletterDelivery,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
)
from knowledge.news_privacy import _apply, _due
from outbox.models import EmailStatus, OutboundEmail
from privacy.registry import Subject, retention_rules, sources
from tests.conftest import sign_in
from tests.knowledge.test_news import news

pytestmark = pytest.mark.django_db


def subscribe(client, email="reader@example.org", language="da"):
    return client.post(reverse("news:newsletter"), {"email": email, "language": language})


def confirm_link(email_row: OutboundEmail) -> str:
    found = re.search(r"https?://\S+/news/newsletter/confirm/\S+/", email_row.text)
    assert found is not None
    return found.group(0)


def confirmed(email="reader@example.org", language="da") -> Subscriber:
    subscriber = news_services.subscriber_subscribe(email=email, language=language)
    return news_services.subscriber_confirm(subscriber=subscriber)


# --- Subscribing --------------------------------------------------------------------------------


def test_subscribing_sends_one_confirmation_and_the_address_is_not_on_the_list_until_confirmed(client):
    response = subscribe(client, language="en")
    assert response.status_code == 302 and response["Location"].endswith("?state=check")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING and subscriber.language == "en"
    email = OutboundEmail.objects.get(key__startswith="knowledge:newsletter-confirm:")
    assert email.to == ["reader@example.org"] and email.language == "en"
    assert "Confirm your subscription" in email.subject
    path = confirm_link(email).split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]
    page = client.get(path)
    assert page.status_code == 200 and "r…r@example.org" in page.text
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING  # a mail scanner's GET confirms nothing
    done = client.post(path)
    assert done.status_code == 302 and done["Location"].endswith("?state=subscribed")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.confirmed_at is not None
    assert client.post(path).status_code == 302  # a second click is harmless


def test_subscribing_twice_in_a_day_sends_one_confirmation_and_the_page_says_the_same(client):
    first = subscribe(client)
    second = subscribe(client, email="READER@example.org")
    assert first["Location"] == second["Location"]
    assert Subscriber.objects.count() == 1
    assert OutboundEmail.objects.filter(key__startswith="knowledge:newsletter-confirm:").count() == 1


def test_an_address_already_on_the_list_gets_the_same_page_and_no_email(client):
    confirmed()
    mail.outbox.clear()
    response = subscribe(client)
    assert response["Location"].endswith("?state=check")
    assert OutboundEmail.objects.filter(key__startswith="knowledge:newsletter-confirm:").count() == 1


def test_a_signed_in_person_subscribing_their_own_verified_address_is_on_the_list_at_once(client, owner):
    sign_in(client, owner)
    form = client.get(reverse("news:newsletter"))
    assert f'value="{owner.email}"' in form.text
    response = subscribe(client, email=owner.email)
    assert response["Location"].endswith("?state=subscribed")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.CONFIRMED and subscriber.user == owner
    assert not OutboundEmail.objects.filter(key__startswith="knowledge:newsletter-confirm:").exists()


def test_a_signed_in_person_subscribing_another_address_must_confirm_it(client, owner):
    sign_in(client, owner)
    response = subscribe(client, email="someone.else@example.org")
    assert response["Location"].endswith("?state=check")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.PENDING and subscriber.user is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-address", "language": "da"}, "valid email"),
        ({"email": "", "language": "da"}, "required"),
        ({"email": "a@example.org", "language": "fr"}, "valid choice"),
    ],
)
def test_bad_input_is_a_400_that_keeps_what_was_typed(client, english, data, message):
    response = client.post(reverse("news:newsletter"), data)
    assert response.status_code == 400
    assert message in response.text
    if data["email"]:
        assert f'value="{data["email"]}"' in response.text
    assert not Subscriber.objects.exists()


def test_a_forged_confirmation_link_gets_a_clear_page(client, english):
    subscriber = news_services.subscriber_subscribe(email="a@example.org", language="da")
    token = newsletter.confirm_token(subscriber)
    for bad in (token[:-3] + "abc", "nonsense"):
        response = client.get(reverse("news:newsletter_confirm", args=[bad]))
        assert response.status_code == 400 and "not valid" in response.text
        assert client.post(reverse("news:newsletter_confirm", args=[bad])).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


def test_an_expired_confirmation_link_says_so_and_offers_to_subscribe_again(client, english, monkeypatch):
    subscriber = news_services.subscriber_subscribe(email="a@example.org", language="da")
    issued = time.time() - datetime.timedelta(days=newsletter.CONFIRM_DAYS, hours=1).total_seconds()
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: issued)  # type: ignore[attr-defined]  # the link was sent 7 days and an hour ago
        token = newsletter.confirm_token(subscriber)
    response = client.post(reverse("news:newsletter_confirm", args=[token]))
    assert response.status_code == 400 and "expired" in response.text
    assert reverse("news:newsletter") in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


# --- Unsubscribing --------------------------------------------------------------------------------


def test_one_click_unsubscribe_works_with_no_login_no_cookie_and_no_csrf_token():
    subscriber = confirmed()
    strict = Client(enforce_csrf_checks=True)
    url = reverse("news:newsletter_unsubscribe", args=[subscriber.token])
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    entry = AuditEntry.objects.get(action="knowledge.subscriber.unsubscribed")
    assert entry.data == {"how": "one-click"}
    assert strict.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200  # again: harmless


def test_the_visible_unsubscribe_link_shows_a_button_and_only_the_post_unsubscribes(client, english):
    subscriber = confirmed(email="jane.doe@example.org")
    url = reverse("news:newsletter_unsubscribe", args=[subscriber.token])
    page = client.get(url)
    assert page.status_code == 200 and "j…e@example.org" in page.text and "jane.doe" not in page.text
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert "You are unsubscribed" in client.get(url).text


def test_an_unknown_unsubscribe_link_gets_a_clear_404(client, english):
    response = client.post(reverse("news:newsletter_unsubscribe", args=["x" * 43]))
    assert response.status_code == 404 and "cannot find the subscription" in response.text


def test_subscribing_again_after_leaving_needs_a_new_confirmation_and_the_old_link_stops_working(client):
    subscriber = confirmed()
    old_token = subscriber.token
    news_services.subscriber_unsubscribe(subscriber=subscriber)
    subscribe(client)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING and subscriber.token != old_token
    assert client.get(reverse("news:newsletter_unsubscribe", args=[old_token])).status_code == 404


# --- Sending an issue ------------------------------------------------------------------------------


@pytest.fixture
def send(secretariat, django_capture_on_commit_callbacks):
    """Send an issue as the worker would: its batches and emails run after the commit (eagerly)."""

    def sending(issue):
        with django_capture_on_commit_callbacks(execute=True):
            return news_services.issue_send(issue=issue, actor=secretariat)

    return sending


@pytest.fixture
def issue(secretariat):
    news(secretariat, title_da="Nyhed til brevet", title_en="News for the letter")
    return news_services.issue_create(
        actor=secretariat, subject_da="Nyhedsbrev 1", subject_en="Newsletter 1", intro_da="Hej **alle**."
    )


def test_a_new_issue_links_to_the_news_published_since_the_last_issue(secretariat, issue):
    assert [n.title_da for n in issue.news.all()] == ["Nyhed til brevet"]
    confirmed()
    news_services.issue_send(issue=issue, actor=secretariat)
    news(secretariat, title_da="Senere nyhed")
    second = news_services.issue_create(actor=secretariat, subject_da="Nyhedsbrev 2")
    assert [n.title_da for n in second.news.all()] == ["Senere nyhed"]


def test_each_subscriber_gets_one_copy_in_their_language_with_rfc_8058_headers(secretariat, issue, send):
    danish, english_reader = confirmed("da@example.org", "da"), confirmed("en@example.org", "en")
    news_services.subscriber_subscribe(email="pending@example.org", language="da")
    gone = confirmed("gone@example.org")
    news_services.subscriber_unsubscribe(subscriber=gone)
    mail.outbox.clear()
    send(issue)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT and issue.recipient_count == 2
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"da@example.org", "en@example.org"}
    assert (
        sent["da@example.org"].subject == "Nyhedsbrev 1" and "Nyhed til brevet" in sent["da@example.org"].body
    )
    assert (
        sent["en@example.org"].subject == "Newsletter 1"
        and "News for the letter" in sent["en@example.org"].body
    )
    for subscriber in (danish, english_reader):
        message = sent[subscriber.email]
        url = newsletter.unsubscribe_url(subscriber)
        assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert url in message.body
        html = message.alternatives[0][0]  # type: ignore[attr-defined]
        assert url in html and "<strong>alle</strong>" in html


def test_a_batch_run_again_sends_nobody_a_second_copy(
    secretariat, issue, send, django_capture_on_commit_callbacks
):
    for n in range(5):
        confirmed(f"r{n}@example.org")
    send(issue)
    NewsletterIssue.objects.filter(pk=issue.pk).update(status=IssueStatus.SENDING, cursor=0)
    with django_capture_on_commit_callbacks(execute=True):
        while news_services.issue_queue_batch(issue_id=issue.pk, size=2):
            pass
    assert NewsletterDelivery.objects.filter(issue=issue).count() == 5
    assert OutboundEmail.objects.filter(key__startswith=f"knowledge:newsletter:{issue.pk}:").count() == 5
    assert len([m for m in mail.outbox if m.subject == "Nyhedsbrev 1"]) == 5


def test_an_issue_cannot_be_sent_twice_changed_after_sending_or_sent_to_nobody(secretariat, issue):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Ingen abonnerer endnu"):
        news_services.issue_send(issue=issue, actor=secretariat)
    confirmed()
    news_services.issue_send(issue=issue, actor=secretariat)
    with pytest.raises(ValidationError):
        news_services.issue_send(issue=issue, actor=secretariat)
    with pytest.raises(ValidationError):
        news_services.issue_update(issue=issue, actor=secretariat, subject_da="Ændret")


# --- The admin ------------------------------------------------------------------------------------


def test_the_secretariat_composes_previews_sends_and_follows_an_issue_in_the_admin(
    client, secretariat, django_capture_on_commit_callbacks
):
    news(secretariat, title_da="Nyhed A")
    confirmed("a@example.org")
    confirmed("b@example.org", "en")
    sign_in(client, secretariat)
    added = client.post(
        reverse("admin:knowledge_newsletterissue_add"),
        {"subject_da": "Brev", "subject_en": "Letter", "intro_da": "Indledning", "intro_en": "Intro"},
    )
    assert added.status_code == 302
    issue = NewsletterIssue.objects.get()
    assert [n.title_da for n in issue.news.all()] == ["Nyhed A"]  # the default
    preview = client.get(reverse("admin:knowledge_newsletterissue_preview", args=[issue.pk]))
    assert preview.status_code == 200 and "Indledning" in preview.text and "Intro" in preview.text
    confirm_page = client.get(reverse("admin:knowledge_newsletterissue_send", args=[issue.pk]))
    assert "2 subscribers" in confirm_page.text or "2 abonnenter" in confirm_page.text
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(reverse("admin:knowledge_newsletterissue_send", args=[issue.pk]))
    assert sent.status_code == 302
    OutboundEmail.objects.filter(to=["a@example.org"]).update(status=EmailStatus.FAILED)
    page = client.get(reverse("admin:knowledge_newsletterissue_change", args=[issue.pk]))
    assert "1 sent, 1 failed, 0 remaining" in page.text or "1 sendt, 1 fejlet, 0 tilbage" in page.text
    listing = client.get(reverse("admin:knowledge_newsletterissue_changelist"))
    assert "1 sent, 1 failed, 0 remaining" in listing.text or "1 sendt, 1 fejlet, 0 tilbage" in listing.text


def test_the_issue_list_counts_progress_in_a_fixed_number_of_queries(
    client, secretariat, django_assert_max_num_queries
):
    confirmed()
    for n in range(3):
        sent = news_services.issue_create(actor=secretariat, subject_da=f"Brev {n}", intro_da="x")
        news_services.issue_send(issue=sent, actor=secretariat)
    sign_in(client, secretariat)
    client.get(reverse("admin:knowledge_newsletterissue_changelist"))
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:knowledge_newsletterissue_changelist")).status_code == 200


@pytest.mark.parametrize("who", ["owner", "steering_member", "staff_without_second_factor"])
def test_subscribers_and_issues_are_the_secretariats_only(client, request, who, issue):
    sign_in(client, request.getfixturevalue(who))
    for url in (
        reverse("admin:knowledge_subscriber_changelist"),
        reverse("admin:knowledge_newsletterissue_changelist"),
        reverse("admin:knowledge_newsletterissue_preview", args=[issue.pk]),
        reverse("admin:knowledge_newsletterissue_send", args=[issue.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Nyhedsbrev 1" not in response.text


def test_the_secretariat_can_take_an_address_off_the_list_but_not_add_one(client, secretariat):
    subscriber = confirmed()
    sign_in(client, secretariat)
    assert client.get(reverse("admin:knowledge_subscriber_add")).status_code == 403
    client.post(
        reverse("admin:knowledge_subscriber_changelist"),
        {"action": "unsubscribe_selected", "_selected_action": [subscriber.pk]},
    )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


# --- Privacy ---------------------------------------------------------------------------------------


def test_the_privacy_source_counts_exports_and_erases_a_subscriber_and_keeps_issue_figures(
    secretariat, issue, send
):
    subscriber = confirmed("Person@Example.org")
    send(issue)
    source = next(s for s in sources() if s.key == "knowledge.newsletter")
    subject = Subject(email="person@example.org")
    assert source.count(subject) == 1
    assert source.export(subject).data[0]["email"] == "Person@Example.org"
    assert source.erase(subject, actor=secretariat) >= 1
    assert source.erase(subject, actor=secretariat) == 0  # safe to run twice
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert NewsletterDelivery.objects.filter(issue=issue, subscriber__isnull=True).count() == 1


def test_unconfirmed_and_unsubscribed_addresses_are_forgotten_after_30_days():
    keep = confirmed("keep@example.org")
    news_services.subscriber_subscribe(email="never@example.org", language="da")
    left = confirmed("left@example.org")
    news_services.subscriber_unsubscribe(subscriber=left)
    assert "knowledge.newsletter.unconfirmed" in {rule.key for rule in retention_rules()}
    now = timezone.now()
    assert _due(now).count() == 0
    later = now + datetime.timedelta(days=31)
    assert _due(later).count() == 2
    assert _apply(_due(later), now=later) == 2
    assert list(Subscriber.objects.values_list("pk", flat=True)) == [keep.pk]
