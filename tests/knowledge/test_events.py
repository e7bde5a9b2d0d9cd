"""Events: the public pages, registration with double opt-in, seats and the waiting list, the
cancel link, the reminder the day before, the secretariat's admin and exports, and privacy."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from knowledge import events_services as services
from knowledge import privacy as event_privacy
from knowledge.events_links import CONFIRM_SALT, cancel_url, confirm_url, registration_for_cancel_token
from knowledge.models import Event, EventStatus, Registration, RegistrationStatus
from outbox.models import OutboundEmail
from privacy.registry import Subject
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

CAST = ["outsider", "owner", "colleague", "secretariat", "steering_member", "staff_without_second_factor"]


def cancels(registration: Registration, text: str) -> bool:
    """Whether ``text`` holds a working cancel link for ``registration``.

    The link is signed with a timestamp, so an email written a second earlier than the test's own
    ``cancel_url()`` holds another token for the same registration: compare what the link opens.
    """
    tokens = re.findall(r"/events/cancel/([^/\s]+)/", text)
    return any(registration_for_cancel_token(token).pk == registration.pk for token in tokens)


def make_event(actor=None, *, days=10, publish=True, **fields) -> Event:
    start = timezone.now() + datetime.timedelta(days=days)
    defaults = {
        "kind": "webinar",
        "title_da": "Webinar om CTIS",
        "title_en": "Webinar on CTIS",
        "summary_da": "Sådan bruger du CTIS.",
        "summary_en": "How to use CTIS.",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "format": "online",
        "online_url": "https://meet.example.org/secret-room",
        "language": "da",
    }
    event = services.event_create(actor=actor, **{**defaults, **fields})
    if publish:
        event = services.event_publish(event=event, actor=actor)
    return event


def register(event, name="Ida Jensen", email="ida@example.org", language="da", actor=None) -> Registration:
    return services.registration_register(
        event=event,
        actor=actor,
        name=name,
        email=email,
        organisation="Odense Universitetshospital",
        language=language,
    )


def registered(event, **kwargs) -> Registration:
    """Registered and confirmed (a seat or the waiting list), as after the confirmation link."""
    return services.registration_confirm(registration=register(event, **kwargs))


def emails_for(registration, kind: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(key__startswith=f"knowledge:event-{kind}:{registration.pk}"))


def as_user(client, user):
    if user is not None and user.is_authenticated:
        sign_in(client, user)
    return client


def _path(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[-1].join(["/", ""])


# --- Public pages and who sees what -------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_the_events_list_and_a_published_event_are_public_and_drafts_are_not(client, request, who):
    as_user(client, request.getfixturevalue(who))
    published = make_event(title_da="Offentligt webinar")
    draft = make_event(title_da="Hemmeligt udkast", publish=False)
    listing = client.get(reverse("events:list"))
    assert listing.status_code == 200
    assert "Offentligt webinar" in listing.content.decode()
    assert "Hemmeligt udkast" not in listing.content.decode()
    assert client.get(reverse("events:detail", args=[published.slug])).status_code == 200
    assert client.get(reverse("events:detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("events:ics", args=[draft.slug])).status_code == 404


def test_upcoming_and_past_events_are_listed_apart(client):
    make_event(title_da="Kommende møde", days=5)
    make_event(title_da="Afholdt møde", days=-5)
    upcoming = client.get(reverse("events:list")).content.decode()
    past = client.get(reverse("events:list") + "?when=past").content.decode()
    assert "Kommende møde" in upcoming and "Afholdt møde" not in upcoming
    assert "Afholdt møde" in past and "Kommende møde" not in past


def test_the_list_says_so_when_nothing_is_planned_or_nothing_matches(client, english):
    empty = client.get(reverse("events:list")).content.decode()
    assert "No events are planned right now" in empty
    make_event(kind="webinar")
    filtered = client.get(reverse("events:list") + "?kind=workshop").content.decode()
    assert "No events match these filters" in filtered


def test_the_list_filters_by_kind_format_and_language(client):
    make_event(title_da="Et webinar", kind="webinar")
    make_event(title_da="En workshop", kind="workshop", format="physical", venue="Amgros", online_url="")
    page = client.get(reverse("events:list") + "?format=physical").content.decode()
    assert "En workshop" in page and "Et webinar" not in page


def test_an_unknown_filter_value_is_a_400_that_keeps_the_page(client):
    response = client.get(reverse("events:list") + "?kind=party")
    assert response.status_code == 400
    assert "<form" in response.content.decode()


def test_the_list_needs_the_same_queries_for_three_events_as_for_thirty(
    client, django_assert_max_num_queries
):
    for i in range(3):
        make_event(title_da=f"Møde {i}", capacity=10)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("events:list")).status_code == 200
    for i in range(27):
        make_event(title_da=f"Flere {i}", capacity=10)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("events:list")).status_code == 200


def test_an_english_page_marks_a_danish_only_event_as_danish(client, english):
    event = make_event(title_en="", summary_en="")
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert 'lang="da"' in page
    assert "described in Danish only" in page


def test_the_online_link_is_never_on_the_public_page_or_in_the_public_calendar(client):
    event = make_event()
    assert "secret-room" not in client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert b"secret-room" not in client.get(reverse("events:ics", args=[event.slug])).content
    assert b"secret-room" not in client.get(reverse("events:feed")).content


def test_the_feed_lists_public_events_in_copenhagen_time(client):
    make_event(title_da="Feedmøde")
    make_event(title_da="Ikke udgivet", publish=False)
    response = client.get(reverse("events:feed"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "SUMMARY:Feedmøde" in body
    assert "Ikke udgivet" not in body
    assert "DTSTART;TZID=Europe/Copenhagen:" in body


def test_an_event_page_never_shows_other_participants_addresses(client):
    event = make_event(capacity=5)
    registered(event, email="private.person@example.org")
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "private.person@example.org" not in page
    assert "4 ledige pladser af 5" in page


# --- Registration: double opt-in ---------------------------------------------------------------


def test_a_visitor_without_an_account_gets_a_confirmation_link_and_no_seat_until_they_follow_it(client):
    event = make_event(capacity=5)
    response = client.post(
        reverse("events:detail", args=[event.slug]),
        {"name": "Ida Jensen", "email": "ida@example.org", "organisation": "OUH", "language": "en"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    [link_email] = emails_for(registration, "confirm-link")
    assert link_email.to == ["ida@example.org"]
    assert link_email.language == "en"
    assert "Confirm your registration" in link_email.subject
    found = re.search(r"http\S+/events/confirm/\S+/", link_email.text)
    assert found is not None
    confirm = found.group(0)
    assert cancels(registration, link_email.text)

    # A mail scanner's GET changes nothing; the person's press of the button does.
    assert client.get(_path(confirm)).status_code == 200
    assert Registration.objects.get().status == RegistrationStatus.PENDING
    done = client.post(_path(confirm))
    assert done.status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    [confirmation] = emails_for(registration, "registered")
    assert "You are registered" in confirmation.subject
    assert "secret-room" in confirmation.text  # the online link goes to participants
    assert cancels(registration, confirmation.text)
    [ics] = confirmation.attachments
    assert ics["filename"] == "event.ics" and ics["mimetype"].startswith("text/calendar")

    # Following the link again is harmless: the same seat, no second email.
    client.post(_path(confirm))
    assert len(emails_for(registration, "registered")) == 1


def test_the_confirmation_email_is_in_danish_for_a_danish_registration():
    event = make_event()
    registration = registered(event, language="da")
    [confirmation] = emails_for(registration, "registered")
    assert confirmation.language == "da"
    assert "Kære Ida Jensen" in confirmation.text
    assert confirmation.subject == "Du er tilmeldt: Webinar om CTIS"


def test_a_signed_in_person_is_registered_at_once_with_their_account_address(client, owner):
    event = make_event()
    sign_in(client, owner)
    response = client.post(
        reverse("events:detail", args=[event.slug]), {"name": "Olivia Owner", "language": "da"}
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert (registration.email, registration.user, registration.status) == (
        owner.email,
        owner,
        RegistrationStatus.CONFIRMED,
    )
    assert not emails_for(registration, "confirm-link")
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Du er tilmeldt dette arrangement" in page


def test_bad_input_is_a_400_that_says_why_and_keeps_what_was_typed(client, english):
    event = make_event()
    response = client.post(
        reverse("events:detail", args=[event.slug]),
        {"name": "Ida Jensen", "email": "not-an-address", "organisation": "OUH", "language": "da"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address" in page
    assert 'value="Ida Jensen"' in page and 'value="OUH"' in page
    assert not Registration.objects.exists()


def test_registering_an_address_twice_tells_the_address_not_the_visitor(client):
    event = make_event()
    first = registered(event, email="ida@example.org")
    response = client.post(
        reverse("events:detail", args=[event.slug]),
        {"name": "Someone Else", "email": "IDA@example.org", "organisation": "", "language": "da"},
    )
    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert len(emails_for(first, "already")) == 1


def test_a_forged_confirmation_link_is_refused_with_a_clear_page(client, english):
    event = make_event()
    registration = register(event)
    forged = signing.dumps({"r": registration.pk}, salt="another-salt")
    response = client.get(reverse("events:confirm", args=[forged]))
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_an_expired_confirmation_link_says_so_and_holds_no_seat(client, settings, english):
    event = make_event()
    registration = register(event)
    link = _path(confirm_url(registration))
    settings.EVENT_CONFIRM_LINK_HOURS = 1
    later = timezone.now() + datetime.timedelta(hours=2)
    signer_time = later.timestamp()
    import time as time_module

    real_time = time_module.time
    try:
        time_module.time = lambda: signer_time  # the signer reads time.time()
        response = client.post(link)
    finally:
        time_module.time = real_time
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_a_confirmation_link_for_one_registration_never_opens_another():
    event = make_event()
    mine, theirs = register(event), register(event, email="other@example.org")
    token = confirm_url(mine).rstrip("/").rsplit("/", 1)[-1]
    payload, rest = token.split(":", 1)
    tampered = signing.b64_encode(b'{"r":%d}' % theirs.pk).decode() + ":" + rest
    from knowledge.events_links import LinkProblem, registration_for_confirm_token

    with pytest.raises(LinkProblem):
        registration_for_confirm_token(tampered)
    assert signing.loads(token, salt=CONFIRM_SALT)["r"] == mine.pk


def test_registration_closes_at_its_deadline_and_for_past_and_cancelled_events(client, secretariat):
    event = make_event()
    services.event_update(
        event=event, actor=secretariat, registration_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        register(event)
    response = client.post(
        reverse("events:detail", args=[event.slug]), {"name": "X", "email": "x@example.org", "language": "da"}
    )
    assert response.status_code == 400
    past = make_event(days=-3)
    with pytest.raises(ValidationError):
        register(past)


# --- Seats and the waiting list -----------------------------------------------------------------


def test_a_full_event_puts_the_next_person_on_the_waiting_list_and_a_cancellation_moves_them_up():
    event = make_event(capacity=1)
    first = registered(event, email="first@example.org")
    second = registered(event, email="second@example.org")
    third = registered(event, email="third@example.org")
    assert (first.status, second.status, third.status) == ("confirmed", "waiting", "waiting")
    assert len(emails_for(second, "waiting")) == 1

    services.registration_cancel(registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED and second.promoted_at is not None
    assert third.status == RegistrationStatus.WAITING
    [promoted] = emails_for(second, "promoted")
    assert promoted.attachments and cancels(second, promoted.text)
    assert len(emails_for(first, "cancelled")) == 1


def test_leaving_the_waiting_list_frees_no_seat_and_moves_nobody():
    event = make_event(capacity=1)
    registered(event, email="first@example.org")
    second = registered(event, email="second@example.org")
    third = registered(event, email="third@example.org")
    services.registration_cancel(registration=second)
    third.refresh_from_db()
    assert third.status == RegistrationStatus.WAITING


def test_more_seats_move_the_waiting_list_up_at_once(secretariat):
    event = make_event(capacity=1)
    registered(event, email="first@example.org")
    waiting = [registered(event, email=f"w{i}@example.org") for i in range(3)]
    services.event_update(event=event, actor=secretariat, capacity=3)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waiting"]


def test_the_cancel_link_shows_the_registration_and_cancels_only_when_pressed(client, english):
    event = make_event(capacity=1)
    first = registered(event)
    second = registered(event, email="second@example.org")
    link = _path(cancel_url(first))
    page = client.get(link)
    assert page.status_code == 200 and "Cancel my registration" in page.content.decode()
    first.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    done = client.post(link)
    assert done.status_code == 200 and "Your registration is cancelled" in done.content.decode()
    assert Registration.objects.get(pk=second.pk).status == RegistrationStatus.CONFIRMED
    assert client.post(link).status_code == 200  # twice: the same page, nothing more
    assert len(emails_for(first, "cancelled")) == 1


def test_after_the_event_has_started_the_cancel_link_changes_nothing(client):
    event = make_event()
    registration = registered(event)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    response = client.post(_path(cancel_url(registration)))
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


# --- The reminder the day before ----------------------------------------------------------------


def _tomorrow_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def test_one_reminder_goes_to_each_confirmed_participant_the_day_before_however_often_beat_runs():
    start = _tomorrow_at(10)
    event = make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=1), capacity=1)
    seated = registered(event)
    waiting = registered(event, email="waiting@example.org")
    later = make_event(days=5)
    registered(later, email="later@example.org")
    assert services.reminders_queue() == 1
    assert services.reminders_queue() == 0
    from knowledge.events_tasks import queue_event_reminders

    queue_event_reminders.delay()  # the beat task itself, run eagerly here: nothing more is due
    [reminder] = emails_for(seated, "reminder")
    assert reminder.subject == "I morgen: Webinar om CTIS"
    assert "secret-room" in reminder.text and cancels(seated, reminder.text)
    assert not emails_for(waiting, "reminder")
    assert OutboundEmail.objects.filter(key__startswith="knowledge:event-reminder:").count() == 1


def test_someone_who_moves_up_on_the_day_before_is_reminded_too():
    start = _tomorrow_at(14)
    event = make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=1), capacity=1)
    first = registered(event)
    second = registered(event, email="second@example.org")
    services.reminders_queue()
    services.registration_cancel(registration=first)
    assert services.reminders_queue() == 1
    assert len(emails_for(second, "reminder")) == 1


def test_the_reminder_job_runs_on_the_periodic_queue(settings):
    assert settings.CELERY_TASK_ROUTES["knowledge.events_tasks.queue_event_reminders"] == {
        "queue": "periodic"
    }
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "knowledge.events_tasks.queue_event_reminders" in beat


# --- Materials ------------------------------------------------------------------------------------


def test_materials_appear_on_the_page_only_after_the_event(client, secretariat, english):
    from knowledge.models import EventMaterial

    upcoming = make_event(recording_url="https://video.example.org/rec", materials_da="Tak for i dag.")
    EventMaterial.objects.create(event=upcoming, title="Slides", url="https://example.org/slides")
    page = client.get(reverse("events:detail", args=[upcoming.slug])).content.decode()
    assert "video.example.org" not in page and "Slides" not in page
    Event.objects.filter(pk=upcoming.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    page = client.get(reverse("events:detail", args=[upcoming.slug])).content.decode()
    assert "video.example.org" in page and "Slides" in page and "Tak for i dag." in page
    assert "Registration" not in page.split("<article", 1)[1] or "Register" not in page


def test_a_material_file_is_downloadable_after_the_event_and_404_before(client):
    from django.core.files.base import ContentFile

    from knowledge.models import EventMaterial

    event = make_event()
    material = EventMaterial.objects.create(
        event=event, title="Slides", file=ContentFile(b"%PDF-1.4", name="s.pdf")
    )
    url = reverse("events:material", args=[event.slug, material.pk])
    assert client.get(url).status_code == 404
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2),
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


# --- The secretariat ------------------------------------------------------------------------------


def test_cancelling_an_event_tells_everyone_registered_or_waiting_once(secretariat):
    event = make_event(capacity=1)
    seated = registered(event)
    waiting = registered(event, email="w@example.org")
    pending = register(event, email="p@example.org")
    services.event_cancel(event=event, actor=secretariat)
    services.event_cancel(event=event, actor=secretariat)
    assert len(emails_for(seated, "called-off")) == 1
    assert len(emails_for(waiting, "called-off")) == 1
    assert not emails_for(pending, "called-off")
    [called_off] = emails_for(seated, "called-off")
    assert "METHOD:CANCEL" in __import__("base64").b64decode(called_off.attachments[0]["base64"]).decode()
    assert AuditEntry.objects.filter(action="knowledge.event.cancelled", actor=secretariat).count() == 1


def test_every_write_is_in_the_record_without_the_participants_address():
    event = make_event(capacity=1)
    first = registered(event, email="first@example.org")
    registered(event, email="second@example.org")
    services.registration_cancel(registration=first)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "knowledge.event.created",
        "knowledge.event.published",
        "knowledge.registration.created",
        "knowledge.registration.confirmed",
        "knowledge.registration.cancelled",
        "knowledge.registration.promoted",
    } <= actions
    for entry in AuditEntry.objects.all():
        assert "@example.org" not in entry.object_repr + str(entry.data)


EVENTS_ADMIN = "/admin/knowledge/event/"
REGISTRATIONS_ADMIN = "/admin/knowledge/registration/"


@pytest.mark.parametrize(
    "url, filters",
    [
        (EVENTS_ADMIN, "when=upcoming&status=published&kind=webinar&format=online&language=da"),
        (REGISTRATIONS_ADMIN, "event_when=upcoming&status=confirmed&language=da&account=no"),
    ],
)
def test_the_secretariat_sees_and_filters_events_and_registrations_in_the_admin(
    client, secretariat, url, filters
):
    event = make_event(capacity=2)
    registered(event, name="Ida Jensen", email="ida@example.org")
    sign_in(client, secretariat)
    response = client.get(url)
    assert response.status_code == 200
    filtered = client.get(f"{url}?{filters}")
    assert filtered.status_code == 200
    assert ("Ida Jensen" if url == REGISTRATIONS_ADMIN else "Webinar om CTIS") in filtered.content.decode()


@pytest.mark.parametrize("url", [EVENTS_ADMIN, REGISTRATIONS_ADMIN])
def test_staff_without_a_second_factor_is_sent_to_set_it_up(client, staff_without_second_factor, url):
    sign_in(client, staff_without_second_factor)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("who", ["outsider", "owner", "colleague", "steering_member"])
@pytest.mark.parametrize("url", [EVENTS_ADMIN, REGISTRATIONS_ADMIN])
def test_nobody_else_reaches_the_registrations(client, request, who, url):
    as_user(client, request.getfixturevalue(who))
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"] or "/accounts/login/" in response["Location"]


def test_the_secretariat_adds_an_event_through_the_service(client, secretariat):
    sign_in(client, secretariat)
    # A fixed hour of day: start + 3 hours must stay on the same date whenever the suite runs.
    start = (timezone.localtime() + datetime.timedelta(days=20)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    response = client.post(
        EVENTS_ADMIN + "add/",
        {
            "kind": "workshop",
            "title_da": "Workshop om GMP",
            "title_en": "",
            "slug": "",
            "summary_da": "Om GMP.",
            "summary_en": "",
            "starts_at_0": start.strftime("%Y-%m-%d"),
            "starts_at_1": start.strftime("%H:%M:%S"),
            "ends_at_0": start.strftime("%Y-%m-%d"),
            "ends_at_1": (start + datetime.timedelta(hours=3)).strftime("%H:%M:%S"),
            "format": "physical",
            "venue": "Amgros",
            "online_url": "",
            "programme_da": "",
            "programme_en": "",
            "language": "da",
            "organiser": "ATMP Danmark",
            "capacity": "20",
            "registration_closes_at_0": "",
            "registration_closes_at_1": "",
            "materials_da": "",
            "materials_en": "",
            "recording_url": "",
            "materials-TOTAL_FORMS": "0",
            "materials-INITIAL_FORMS": "0",
            "materials-MIN_NUM_FORMS": "0",
            "materials-MAX_NUM_FORMS": "100",
        },
    )
    assert response.status_code == 302, re.findall(
        r"errorlist[^>]*>(.*?)</ul>", response.content.decode(), re.S
    )
    event = Event.objects.get()
    assert event.status == EventStatus.DRAFT and event.slug.startswith("workshop-om-gmp-")
    assert AuditEntry.objects.filter(action="knowledge.event.created", actor=secretariat).exists()


def test_a_physical_event_without_a_venue_is_refused_next_to_the_field(secretariat):
    with pytest.raises(ValidationError) as refused:
        make_event(actor=secretariat, format="physical", venue="", online_url="")
    assert "venue" in refused.value.message_dict


def test_the_csv_export_opens_in_danish_excel_and_neutralises_formulas(client, secretariat):
    event = make_event(capacity=5)
    registered(event, name='=HYPERLINK("http://evil")', email="ida@example.org")
    registered(event, name="Søren Ærø", email="soren@example.org")
    register(event, name="Not confirmed", email="pending@example.org")
    sign_in(client, secretariat)
    response = client.post(EVENTS_ADMIN, {"action": "export_csv", "_selected_action": [event.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"participants-{event.slug}.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    names = [line[2] for line in lines[1:]]
    assert '\'=HYPERLINK("http://evil")' in names and "Søren Ærø" in names
    assert "Not confirmed" not in names  # never confirmed: not a participant


def test_the_xlsx_export_has_one_row_per_participant_and_formulas_as_text(client, secretariat):
    event = make_event(capacity=5)
    registered(event, name="=1+1", email="ida@example.org")
    registered(event, name="Søren Ærø", email="soren@example.org")
    sign_in(client, secretariat)
    response = client.post(EVENTS_ADMIN, {"action": "export_xlsx", "_selected_action": [event.pk]})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert {row[2] for row in values} == {"=1+1", "Søren Ærø"}
    formula_cell = next(row for row in sheet.iter_rows(min_row=2) if row[2].value == "=1+1")[2]
    assert formula_cell.data_type == "s"


def test_the_secretariat_cancels_a_registration_and_the_waiting_list_moves_up(client, secretariat):
    event = make_event(capacity=1)
    first = registered(event)
    second = registered(event, email="second@example.org")
    sign_in(client, secretariat)
    response = client.post(REGISTRATIONS_ADMIN, {"action": "cancel_selected", "_selected_action": [first.pk]})
    assert response.status_code == 302
    assert Registration.objects.get(pk=second.pk).status == RegistrationStatus.CONFIRMED
    assert AuditEntry.objects.filter(action="knowledge.registration.cancelled", actor=secretariat).exists()


def test_the_registrations_list_needs_the_same_queries_for_few_and_many(
    client, secretariat, django_assert_max_num_queries
):
    event = make_event()
    for i in range(3):
        registered(event, email=f"a{i}@example.org")
    sign_in(client, secretariat)
    client.get(REGISTRATIONS_ADMIN)
    with django_assert_max_num_queries(20) as few:
        client.get(REGISTRATIONS_ADMIN)
    for i in range(30):
        registered(event, email=f"b{i}@example.org")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(REGISTRATIONS_ADMIN)


# --- Privacy ---------------------------------------------------------------------------------------


def test_a_person_can_see_export_and_erase_their_registrations_and_the_waiting_list_moves_up(owner):
    event = make_event(capacity=1)
    mine = registered(event, email=owner.email.upper())
    theirs = registered(event, email="other@example.org")
    subject = Subject(email=owner.email, user=owner)
    assert event_privacy.count(subject) == 1
    [row] = event_privacy.export(subject).data
    assert row["email"] == owner.email.upper() and row["status"] == "confirmed"
    assert event_privacy.erase(subject, None) == 1
    assert not Registration.objects.filter(pk=mine.pk).exists()
    assert Registration.objects.get(pk=theirs.pk).status == RegistrationStatus.CONFIRMED
    assert event_privacy.erase(subject, None) == 0


def test_registrations_are_deleted_a_year_after_their_event():
    old = make_event(days=-400)
    recent = make_event(days=-30)
    Registration.objects.create(event=old, name="A", email="a@example.org", status="confirmed")
    keep = Registration.objects.create(event=recent, name="B", email="b@example.org", status="confirmed")
    now = timezone.now()
    due = event_privacy.RETENTION.due(now)
    assert list(due.values_list("event_id", flat=True)) == [old.pk]
    assert event_privacy.RETENTION.apply(due, now=now) == 1
    assert event_privacy.RETENTION.apply(event_privacy.RETENTION.due(now), now=now) == 0
    assert list(Registration.objects.values_list("pk", flat=True)) == [keep.pk]


def test_registrations_are_declared_to_the_privacy_registry():
    from privacy.registry import retention_rules, sources

    assert "knowledge.event_registrations" in {source.key for source in sources()}
    assert "knowledge.event_registrations" in {rule.key for rule in retention_rules()}


# --- Secretariat-written text is inert ---------------------------------------------------------------


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_links_raw_html_and_images_in_an_event_render_inert(client):
    event = make_event(
        title_da=f"Titel {XSS}",
        summary_da=f"Resumé {XSS}",
        programme_da=f"[klik](javascript:alert(1))\n\n{XSS}\n\n![billede](https://evil.example/x.png)",
        venue=f"Sted {XSS}",
        format="hybrid",
        organiser=f"Arrangør {XSS}",
    )
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "evil.example" not in page
    assert "&lt;script&gt;" in page  # shown as text where it was typed as text


def test_a_participants_name_is_text_in_their_emails_and_pages(client):
    event = make_event()
    registration = register(event, name=f"Ida {XSS}")
    page = client.get(_path(confirm_url(registration))).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
