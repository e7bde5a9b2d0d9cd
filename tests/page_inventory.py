"""Every page the portal serves, found from the URL resolver and the admin registry.

The accessibility audit (tests/browser/test_accessibility.py) opens each of these as each role.
Nothing here is a hand-kept list of pages: a URL without parameters is a page the day it is
added; a URL with parameters needs a line in ``OPENERS`` (how to fill them from the seeded data)
or in ``NOT_PAGES`` (why it is not an HTML page), and ``tests/test_page_inventory.py`` fails until
it has one. The admin's changelist, add, change, history and delete pages come from
``admin.site._registry``, each opened on a seeded object of its model.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern, for messages
    params: tuple[str, ...]


def routes() -> Iterator[Route]:
    """Every named URL pattern with the names of its parameters."""

    def walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]) -> Iterator[Route]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                regex = pattern.pattern.regex
                yield Route(
                    name=":".join(namespaces + (pattern.name,)),
                    route=prefix + str(pattern.pattern),
                    params=tuple(regex.groupindex),
                )

    yield from walk(get_resolver(), "", ())


# Named URLs that are not pages a person reads: files, feeds, redirects and POST-only actions.
# A parameter-less URL needs no line here (a response that is not HTML is passed over), but
# one with parameters does, so that a new page with parameters is never silently skipped.
NOT_PAGES: dict[str, str] = {
    "admin:view_on_site": "a redirect to the object's public page",
    "admin:autocomplete": "JSON for the select2 widgets",
    "admin:jsi18n": "JavaScript catalogue",
    "admin:login": "redirects to allauth's login",
    "admin:logout": "POST only",
    "governance:meeting_ics": "an iCalendar file",
    "governance:document": "a document download",
    "governance:feed": "an iCalendar feed",
    "governance:feed_reset": "POST only",
    "projects:deliverable": "a deliverable download",
    "inquiries:attachment": "an attachment download",
    "inquiries:reply": "POST only (the form is on the request's page)",
    "budget:report_export": "a CSV or XLSX file",
    "budget:ledger_export": "a CSV or XLSX file",
    "mfa_download_recovery_codes": "a text file",
    "accounts:set_language": "POST only",
    "health": "a health check for the load balancer",
    "pages:favicon": "an icon",
    "knowledge:item_file": "a file of a library item, downloaded",
    "events:ics": "an iCalendar file",
    "events:material": "a material of a past event, downloaded",
    "news:feed": "an Atom feed",
    "downloads:file": "a one-time file download (its status page is the page)",
    "downloads:progress": "JSON for the status page's progress bar",
}

DEMO_APPLICANT = "ansoeger@atmp-demo.example"


def seed() -> None:
    """The demo data (`make run`'s), and the meeting notices the reminder job would make from it."""
    from governance.services import notices_due
    from pages.loading import run_loaders

    run_loaders("reference_data")
    run_loaders("demo_data")
    notices_due()
    _propose_a_directory_correction()
    _start_a_feasibility_round()
    _run_retention()
    _refer_a_request_to_a_directory_entry()


def _run_retention() -> None:
    """One retention run, so the record of personal-data handlings has a line to open."""
    from privacy.models import Handling
    from privacy.services import retention_run

    if not Handling.objects.exists():
        retention_run()


def _refer_a_request_to_a_directory_entry() -> None:
    """The secretariat refers the demo applicant's trial-sites request to a demo entry."""
    from accounts.models import User
    from inquiries.models import Inquiry
    from network.models import Entry, EntryReferral
    from network.services import entry_refer

    if EntryReferral.objects.exists():
        return
    inquiry = Inquiry.objects.filter(topic="clinical_trials").order_by("pk").first()
    secretariat = User.objects.filter(is_staff=True).order_by("pk").first()
    entry = Entry.objects.filter(is_published=True, name__endswith="(demo)").order_by("pk").first()
    if inquiry and secretariat and entry:
        entry_refer(
            inquiry=inquiry,
            entry=entry,
            actor=secretariat,
            note="Et hospital søger forsøgssteder til et fase I-genterapiforsøg med en AAV-vektor.",
        )


def _start_a_feasibility_round() -> None:
    """The secretariat asks two directory entries about a demo request, as the admin does."""
    from accounts.models import User
    from inquiries.models import Inquiry
    from network.models import Entry, Round
    from network.services import round_start

    if Round.objects.exists():
        return
    inquiry = Inquiry.objects.order_by("pk").first()
    secretariat = User.objects.filter(is_staff=True).order_by("pk").first()
    entries = list(Entry.objects.exclude(contact_email="").order_by("pk")[:2])
    if inquiry and secretariat and entries:
        round_start(
            inquiry=inquiry,
            actor=secretariat,
            synopsis="Et hospital søger forsøgssteder til et fase I-forsøg.",
            entries=entries,
        )


def _propose_a_directory_correction() -> None:
    """A contact's correction waiting for the secretariat, as a contact's link makes it."""
    from network.models import Entry
    from network.services import entry_as_proposal, entry_change_propose

    entry = Entry.objects.order_by("pk").first()
    if entry is None or entry.changes.exists():
        return
    proposed = entry_as_proposal(entry)
    entry_change_propose(
        entry=entry, link_version=entry.link_version, proposed=proposed, note="Ny telefonnummer følger."
    )


ADMIN_OBJECT_VIEWS = ("change", "history", "delete")
ADMIN_VIEWS = ("changelist", "add", *ADMIN_OBJECT_VIEWS)


def _first(model_label: str, **filters):
    from django.apps import apps

    model = apps.get_model(model_label)
    obj = model._default_manager.filter(**filters).order_by("pk").first()
    if obj is None:
        raise LookupError(f"the audit needs a seeded {model_label} ({filters or 'any'})")
    return obj


def _meeting():
    """The steering group's held meeting: agenda, documents, attendance and decisions."""
    from django.db.models import Count

    from governance.models import Meeting

    meeting = (
        Meeting.objects.filter(body__code="steering-group")
        .annotate(n=Count("decisions"))
        .order_by("-n", "pk")
        .first()
    )
    if meeting is None:
        raise LookupError("the audit needs a seeded steering-group meeting")
    return meeting


def _project():
    """The project with the most on its page (milestones, deliverables, updates)."""
    from django.db.models import Count

    from projects.models import Project

    return (
        Project.objects.annotate(n=Count("milestones") + Count("deliverables")).order_by("-n", "pk").first()
    )


def _downloads(applicant_email: str) -> list[dict]:
    """The applicant's downloads: one being prepared and one ready (made here if the seed has none)."""
    import datetime

    from django.utils import timezone

    from downloads.models import Download, DownloadStatus

    owner = _first("accounts.User", email=applicant_email)
    later = timezone.now() + datetime.timedelta(days=365)
    pending, _ = Download.objects.get_or_create(
        owner=owner, kind="privacy.export", status=DownloadStatus.PENDING,
        defaults={"progress": 40, "expires_at": later},
    )  # fmt: skip
    ready, _ = Download.objects.get_or_create(
        owner=owner, kind="privacy.export", status=DownloadStatus.READY,
        defaults={"progress": 100, "expires_at": later, "ready_at": timezone.now(),
                  "filename": "atmp-danmark-mine-data.zip", "content_type": "application/zip", "size": 12345},
    )  # fmt: skip
    return [{"uuid": pending.uuid}, {"uuid": ready.uuid}]


def _inquiries(applicant_email: str) -> list[dict]:
    from inquiries.models import Inquiry

    return [
        {"reference": inquiry.reference}
        for inquiry in Inquiry.objects.filter(applicant__email=applicant_email).order_by("pk")[:2]
    ]


# How to fill the parameters of each page that has them, from the seeded data. ``applicant`` is
# the email of the applicant whose requests the audit opens.
OPENERS: dict[str, Callable[[str], list[dict]]] = {
    "governance:meeting": lambda applicant: [{"pk": _meeting().pk}],
    "projects:detail": lambda applicant: [{"code": _project().code}],
    "inquiries:detail": _inquiries,
    "downloads:status": _downloads,
    "inquiries:withdraw": lambda applicant: _inquiries(applicant)[:1],
    # allauth's key pages with a key that is not valid: the page that says so.
    "account_confirm_email": lambda applicant: [{"key": "no-such-key"}],
    "account_reset_password_from_key": lambda applicant: [{"uidb36": "0", "key": "no-such-key"}],
    "admin:auth_user_password_change": lambda applicant: [
        {"id": _first("accounts.User", email=applicant).pk}
    ],
    "knowledge:item": lambda applicant: [{"slug": _first("knowledge.Item", status="published").slug}],
    "admin:knowledge_item_preview": lambda applicant: [{"pk": _first("knowledge.Item").pk}],
    "news:detail": lambda applicant: [{"slug": _first("knowledge.NewsItem", status="published").slug}],
    "admin:knowledge_newsitem_preview": lambda applicant: [{"pk": _first("knowledge.NewsItem").pk}],
    "admin:knowledge_newsletterissue_preview": lambda applicant: [
        {"pk": _first("knowledge.NewsletterIssue").pk}
    ],
    "admin:knowledge_newsletterissue_send": lambda applicant: [
        {"pk": _first("knowledge.NewsletterIssue").pk}
    ],
    # The newsletter's links: a subscriber's own unsubscribe page, and a confirmation link that is not valid.
    "news:newsletter_unsubscribe": lambda applicant: [{"token": _first("knowledge.Subscriber").token}],
    "news:newsletter_confirm": lambda applicant: [{"token": "no-such-token"}],
    "network:entry": lambda applicant: [{"slug": _first("network.Entry").slug}],
    # An upcoming event with its registration form, a full one, and a past one with materials.
    "events:detail": lambda applicant: [
        {"slug": slug}
        for slug in (
            "webinar-ctis-for-akademiske-sponsorer",
            "workshop-gmp-for-atmp",
            "netvaerksmoede-atmp-hospitaler",
        )
    ],
    # A participant's signed links: a real one for the demo's first registration, and one not valid.
    "events:confirm": lambda applicant: [{"token": _event_token("confirm")}, {"token": "no-such-token"}],
    "events:cancel": lambda applicant: [{"token": _event_token("cancel")}],
    # A contact's signed links, with a token that is not valid: the page that says so.
    "network:confirm": lambda applicant: [{"token": "no-such-token"}],
    "network:answer": lambda applicant: [{"token": "no-such-token"}],
    "admin:budget_ledgerentry_reverse": lambda applicant: [
        {"pk": _first("budget.LedgerEntry", reversed_by__isnull=True, reverses__isnull=True).pk}
    ],
}


def _event_token(kind: str) -> str:
    from knowledge.events_links import cancel_url, confirm_url

    registration = _first("knowledge.Registration")
    url = confirm_url(registration) if kind == "confirm" else cancel_url(registration)
    return url.rstrip("/").rsplit("/", 1)[-1]


def _admin_object(model):
    if model._meta.label == "governance.Meeting":
        return _meeting()
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        raise LookupError(f"the audit needs a seeded {model._meta.label} for its admin pages")
    return obj


def admin_urls() -> dict[str, str]:
    """View name → URL for the admin index, each app's index and each registered model's pages."""
    urls = {"admin:index": reverse("admin:index")}
    for model in admin.site._registry:
        opts = model._meta
        urls[f"admin:app_list:{opts.app_label}"] = reverse("admin:app_list", args=[opts.app_label])
        info = f"admin:{opts.app_label}_{opts.model_name}"
        urls[f"{info}_changelist"] = reverse(f"{info}_changelist")
        urls[f"{info}_add"] = reverse(f"{info}_add")
        obj = _admin_object(model)
        for view in ADMIN_OBJECT_VIEWS:
            urls[f"{info}_{view}"] = reverse(f"{info}_{view}", args=[obj.pk])
    return urls


def is_admin_model_view(name: str) -> bool:
    if name == "admin:app_list":
        return True
    return name.startswith("admin:") and name.rsplit("_", 1)[-1] in ADMIN_VIEWS


def unaccounted_routes() -> list[Route]:
    """Parameterised routes the audit cannot open and that are not declared as non-pages."""
    return [
        route
        for route in routes()
        if route.params
        and route.name not in NOT_PAGES
        and route.name not in OPENERS
        and not is_admin_model_view(route.name)
    ]


def page_urls(*, applicant: str) -> dict[str, str]:
    """Label → URL of every page to audit, with the seeded data filling in parameters."""
    urls: dict[str, str] = {}
    for route in routes():
        if route.name in NOT_PAGES or is_admin_model_view(route.name):
            continue
        if not route.params:
            urls[route.name] = reverse(route.name)
            continue
        opener = OPENERS.get(route.name)
        if opener is None:
            raise LookupError(f"{route.name} ({route.route}) has parameters: add it to OPENERS or NOT_PAGES")
        for i, kwargs in enumerate(opener(applicant)):
            urls[f"{route.name}#{i}" if i else route.name] = reverse(route.name, kwargs=kwargs)
    urls.update(admin_urls())
    return urls
