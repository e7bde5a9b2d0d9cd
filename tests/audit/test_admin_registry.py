"""For every model the admin can change: a change made in the admin is in the record, with who made it.

Generated from the admin registry, so a model registered tomorrow is tested tomorrow: the test
fails until ``OBJECTS`` says how to make one (and ``EDITS``, if no plain text field can be edited).
The form is filled the way a browser would: every field as the change page renders it.
"""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEntry
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import (
    ActionItemFactory,
    DeliverableFactory,
    FundingApplicationFactory,
    UserFactory,
    decide,
    directory_entry,
    membership_for,
    plan,
    submit,
)

pytestmark = pytest.mark.django_db


def _objects():
    """How to make one object of each model the admin can change (keyed by model label)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    from budget.models import CostCategory, Grant
    from governance.models import Body, Organisation, Seat
    from inquiries.models import CannedReply
    from knowledge import news_services as news
    from knowledge import services as knowledge
    from knowledge.models import ChecklistStep
    from network.models import Capability
    from network.reference_data import load_capabilities
    from network.services import entry_refer
    from projects.models import Project

    def steering():
        return Body.objects.get(code="steering-group")

    def totp():
        authenticator = TOTP.activate(UserFactory.create(), TOTP_SECRET).instance
        authenticator.record_usage()  # the admin's form asks for a last use
        return authenticator

    return {
        "auth.group": lambda: Group.objects.create(name="Readers"),
        "account.emailaddress": lambda: EmailAddress.objects.get(user=UserFactory.create()),
        "mfa.authenticator": totp,
        "accounts.user": lambda: UserFactory(),
        "governance.organisation": lambda: Organisation.objects.first(),
        "governance.body": steering,
        "governance.seat": lambda: Seat.objects.filter(body=steering()).first(),
        "governance.membership": lambda: membership_for(UserFactory(), steering()),
        "governance.meeting": lambda: plan(steering()),
        "governance.decision": lambda: decide(steering()),
        "governance.actionitem": lambda: ActionItemFactory(decision=decide(steering())),
        "projects.project": lambda: Project.objects.get(code="II"),
        "projects.deliverable": lambda: DeliverableFactory(project=Project.objects.get(code="II")),
        "budget.costcategory": lambda: CostCategory.objects.first(),
        "budget.grant": lambda: Grant.objects.create(
            code="g1", name_da="Legat", name_en="Grant", source="X", holder="amgros"
        ),
        "budget.fundingapplication": lambda: FundingApplicationFactory(),
        "inquiries.inquiry": lambda: submit(UserFactory()),
        "inquiries.cannedreply": lambda: CannedReply.objects.create(
            title="Tak", body_da="Tak.", body_en="Thanks."
        ),
        "network.capability": lambda: (load_capabilities(), Capability.objects.first())[1],
        "network.entry": lambda: directory_entry("Enhed (demo)"),
        "network.entryreferral": lambda: entry_refer(
            inquiry=submit(UserFactory()),
            entry=directory_entry("Henvisningsenhed (demo)"),
            actor=UserFactory.create(is_staff=True),
        ),
        "knowledge.item": lambda: knowledge.item_create(
            actor=None, kind="article", title_da="Vejledning", summary_da="Kort.", body_da="Tekst."
        ),
        "knowledge.checkliststep": lambda: knowledge.checklist_step_save(
            step=ChecklistStep(code="step-x", title_da="Trin", what_da="Gør det."), actor=None
        ),
        "knowledge.event": _event,
        "knowledge.newsitem": lambda: news.news_create(actor=None, title_da="Nyhed", summary_da="Kort."),
        "knowledge.newsletterissue": lambda: news.issue_create(actor=None, subject_da="Nyhedsbrev", news=[]),
        "knowledge.subscriber": lambda: news.subscriber_subscribe(email="reader@example.org", language="da"),
    }


def _event():
    import datetime

    from django.utils import timezone

    from knowledge.events_services import event_create

    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    return event_create(
        actor=None,
        kind="webinar",
        title_da="Webinar",
        summary_da="Kort.",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        format="online",
        online_url="https://meet.example.org/x",
    )


# Where the change is not to a plain text field: the form field and the value to give it.
EDITS = {
    "inquiries.inquiry": ("internal_note", "Checked with the Danish Medicines Agency."),
    "account.emailaddress": ("verified", None),  # a checkbox: ticked ↔ unticked
    "mfa.authenticator": ("type", "recovery_codes"),
    "network.entryreferral": ("outcome_note", "Enheden tog imod ansøgeren."),
    "knowledge.subscriber": ("language", "en"),  # the one thing the secretariat changes for a reader
}
TEXT_FIELDS = (
    "title",
    "name_da",
    "full_name",
    "name",
    "title_da",
    "text",
    "description_da",
    "body_da",
    "location",
    "subject_da",
)


class _FormReader(HTMLParser):
    """The data a browser would send for the change form: inputs, checked boxes, selected options."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None
        self._multiple = False
        self._first: str | None = None
        self._selected_seen: dict[str, bool] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or "name" not in a and tag in ("input", "select", "textarea"):
            return
        name = a.get("name") or ""
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(
                a.get("value", "on" if kind in ("checkbox", "radio") else "")
            )
        elif tag == "select":
            self._select = name
            self._multiple = "multiple" in a
            self._first = None
            self.data.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            if self._first is None:
                self._first = a.get("value", "")
            if "selected" in a:
                self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, [""])

    def handle_data(self, data):
        if self._textarea is not None:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            # A single choice with nothing selected sends its first option, as a browser does.
            if self._select is not None and not self._multiple and not self.data[self._select]:
                self.data[self._select].append(self._first or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def _change_data(html: str) -> dict[str, list[str]]:
    reader = _FormReader()
    reader.feed(html)
    data = reader.data
    data.pop("csrfmiddlewaretoken", None)
    return {k: v for k, v in data.items() if v or not k}


def _changeable():
    request = RequestFactory().get("/")
    from accounts.models import User

    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return sorted(
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_change_permission(request)
    )


@pytest.fixture
def superuser(db):
    from allauth.mfa.totp.internal.auth import TOTP

    user = UserFactory.create(email="root@example.org", full_name="Root", is_staff=True, is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


def test_every_model_the_admin_can_change_has_a_way_to_make_one_here():
    missing = set(_changeable()) - set(_objects())
    assert not missing, f"add these to OBJECTS (and EDITS if needed) in {__name__}: {sorted(missing)}"


@pytest.mark.parametrize("label", _changeable())
def test_a_change_in_the_admin_is_recorded_with_the_acting_user(
    label, client, superuser, governance_bodies, tor_projects, budget_data
):
    obj = _objects()[label]()
    model = type(obj)
    sign_in(client, superuser)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200, page
    data = _change_data(page.content.decode())
    name, value = EDITS.get(label, (None, None))
    if name is None:
        name = next(f for f in TEXT_FIELDS if f in data)
        value = data[name][0] + " (rettet)"
    if value is None:  # a checkbox: flip it
        if name in data:
            del data[name]
        else:
            data[name] = ["on"]
    else:
        data[name] = [value]
    before = AuditEntry.objects.count()

    response = client.post(url, data)

    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms],
    ]
    entries = AuditEntry.objects.for_object(obj).filter(actor=superuser)
    assert AuditEntry.objects.count() > before
    assert entries.exists(), f"{label}: the admin change left no line in the record"
