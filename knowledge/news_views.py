"""News (/news/, /news/<slug>/, the Atom feed /news/feed/) and the newsletter's public pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from knowledge import news_services, newsletter
from knowledge.models import NewsItem, NewsletterLanguage, NewsStatus, Subscriber, SubscriberStatus
from knowledge.rendering import render_markdown
from knowledge.templatetags.knowledge import localized

PAGE_SIZE = 20
FEED_SIZE = 20


def _language() -> str:
    return (get_language() or "da")[:2]


@require_GET
def news_list(request):
    news = NewsItem.objects.published().only(
        "slug", "title_da", "title_en", "summary_da", "summary_en", "published_at", "status"
    )
    page = Paginator(news.order_by("-published_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/news/list.html", {"page": page})


@require_GET
def news_detail(request, slug: str):
    item = NewsItem.objects.filter(slug=slug).exclude(status=NewsStatus.DRAFT).first()
    if item is None:
        raise Http404("No such news item")
    if item.status == NewsStatus.WITHDRAWN:
        return render(request, "knowledge/news/withdrawn.html", {"item": item}, status=410)
    body = localized(item, "body")
    return render(
        request,
        "knowledge/news/detail.html",
        {"item": item, "body": body, "body_html": render_markdown(body.text)},
    )


class NewsFeed(Feed):
    """The latest published news as Atom, in the reader's language (Danish where English is missing)."""

    feed_type = Atom1Feed

    def title(self):
        return _("ATMP Danmark: news")

    def subtitle(self):
        return _("News from ATMP Danmark, the national collaboration on advanced therapy medicinal products.")

    def link(self):
        return reverse("news:list")

    def feed_url(self):
        return reverse("news:feed")

    def author_name(self):
        return "ATMP Danmark"

    def items(self):
        return NewsItem.objects.published().order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.text("title", _language())[0]

    def item_description(self, item):
        return item.text("summary", _language())[0]

    def item_link(self, item):
        return reverse("news:detail", args=[item.slug])

    def item_guid(self, item):
        # Stable whatever the address becomes: the feed reader sees an edit, not a new item.
        return f"tag:{settings.SITE_URL.split('://', 1)[-1].split('/')[0]},2026:news:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


# --- The newsletter -------------------------------------------------------------------------------


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the newsletter"),
        choices=NewsletterLanguage.choices,
        widget=forms.RadioSelect,
        initial=NewsletterLanguage.DANISH,
    )


@require_http_methods(["GET", "POST"])
def newsletter_subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            try:
                subscriber = news_services.subscriber_subscribe(
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if (
                    request.user.is_authenticated
                    and subscriber.status == SubscriberStatus.CONFIRMED
                    and subscriber.user_id == request.user.pk
                ):
                    return redirect(reverse("news:newsletter_done") + "?state=subscribed")
                return redirect(reverse("news:newsletter_done") + "?state=check")
        return render(request, "knowledge/news/subscribe.html", {"form": form}, status=400)
    initial = {"language": "en" if _language() == "en" else "da"}
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    return render(request, "knowledge/news/subscribe.html", {"form": SubscribeForm(initial=initial)})


@require_GET
def newsletter_done(request):
    state = request.GET.get("state")
    if state not in {"check", "subscribed"}:
        return redirect("news:newsletter")
    return render(
        request, "knowledge/news/subscribe_done.html", {"state": state, "days": newsletter.CONFIRM_DAYS}
    )


@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token: str):
    """GET shows a button; only the POST confirms (mail scanners follow links, people press buttons)."""
    try:
        subscriber = newsletter.subscriber_for_confirm_token(token)
    except newsletter.BadLink as bad:
        return render(
            request,
            "knowledge/news/link_problem.html",
            {"expired": bad.expired, "days": newsletter.CONFIRM_DAYS},
            status=400,
        )
    if request.method == "POST":
        try:
            news_services.subscriber_confirm(subscriber=subscriber, actor=request.user)
        except ValidationError as error:
            return render(
                request, "knowledge/news/link_problem.html", {"message": " ".join(error.messages)}, status=409
            )
        return redirect(reverse("news:newsletter_done") + "?state=subscribed")
    return render(request, "knowledge/news/confirm.html", {"address": masked(subscriber.email)})


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookie or token.
@require_http_methods(["GET", "POST"])
def newsletter_unsubscribe(request, token: str):
    """GET: a page with one button. POST (the button, or the mail client's one click): done.

    The token is the subscriber's own 43-character secret, so a forged POST cannot guess one.
    """
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        return render(request, "knowledge/news/link_problem.html", {"unsubscribe": True}, status=404)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        news_services.subscriber_unsubscribe(
            subscriber=subscriber, actor=request.user, how="one-click" if one_click else "link"
        )
        return render(request, "knowledge/news/unsubscribed.html", {"address": masked(subscriber.email)})
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return render(request, "knowledge/news/unsubscribed.html", {"address": masked(subscriber.email)})
    return render(request, "knowledge/news/unsubscribe.html", {"address": masked(subscriber.email)})


def masked(email: str) -> str:
    """ "jane.doe@example.org" → "j…e@example.org": enough for its owner to recognise, should the
    newsletter have been forwarded, nothing for whoever it was forwarded to."""
    local, _at, domain = email.partition("@")
    shown = local[0] + "…" + local[-1] if len(local) > 2 else local[:1] + "…"
    return f"{shown}@{domain}"
