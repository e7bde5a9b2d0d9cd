import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from accounts.language import set_language_cookie
from outbox.services import email_queue


@dataclass(frozen=True)
class PortalSite:
    """What allauth's emails call the site: the portal's name and its address, never the host the
    request came in on ("Hej fra 127.0.0.1:8000!")."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name="ATMP Danmark", domain=urlsplit(settings.SITE_URL).netloc)


def recipient_language(email: str) -> str:
    """The language of the person an email goes to: their profile's, else the page's."""
    from accounts.models import User

    chosen = User.objects.filter(email__iexact=email).values_list("preferred_language", flat=True).first()
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


SIGNUP_NEXT_KEY = "portal_signup_next"


class PortalAccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth's emails in the recipient's language, with the portal's name, text and HTML.

        A worker may send it later; it is rendered now, in the language of the person it is for
        (a secretariat member resetting an English applicant's password still writes English).
        allauth's own emails are plain text: each gets the portal's HTML layout around its text.
        """
        to = email if isinstance(email, str) else email[0]
        with translation.override(recipient_language(to)):
            context = {**context, "current_site": portal_site(), "site_url": settings.SITE_URL}
            message = super().render_mail(template_prefix, email, context, headers)
            if isinstance(message, EmailMultiAlternatives) and not any(
                mimetype == "text/html" for _content, mimetype in message.alternatives
            ):
                html = render_to_string(
                    "account/email/portal_message.html",
                    {"subject": message.subject, "body": message.body, "site_url": settings.SITE_URL},
                )
                message.attach_alternative(html, "text/html")
        return message

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message now, in the recipient's language (``render_mail``), into the outbox.

        allauth sends synchronously, so a slow or failing SMTP relay would hold up or break
        sign-up and login; the outbox sends after commit and retries. The body holds a login
        code or a reset link, so it is ``sensitive``: blanked once sent, never shown in the admin.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        # Every account email is its own (a second code is a second email): a fresh key.
        email_queue(
            key=f"accounts:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            to=list(message.to),
            subject=str(message.subject),
            text=str(message.body),
            html=html,
            from_email=message.from_email or "",
            headers=dict(message.extra_headers),
            language=recipient_language(email),
            sensitive=True,
        )

    def save_user(self, request, user, form, commit=True):
        """Remember where a person signing up was going ("Ask ATMP Danmark"): the email
        confirmation in between would otherwise lose it."""
        wanted = request.POST.get("next", "")
        if wanted and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            request.session[SIGNUP_NEXT_KEY] = wanted
        return super().save_user(request, user, form, commit)

    def get_email_verification_redirect_url(self, email_address):
        """After the confirmation link: on to the page the person signed up for, through the login."""
        wanted = self.request.session.get(SIGNUP_NEXT_KEY)
        if not wanted:
            return super().get_email_verification_redirect_url(email_address)
        if self.request.user.is_authenticated:
            return wanted
        return f"{reverse('account_login')}?{urlencode({'next': wanted})}"

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Count failed logins per account *and* client address (allauth counts per account alone).

        Per account alone, anyone who knows an address can keep its owner out with five wrong
        passwords every five minutes. The per-address limit (ACCOUNT_RATE_LIMITS) still caps a
        guesser's total. docs/security.md says why.
        """
        return (
            f"{super()._get_login_attempts_cache_key(request, **credentials)}@{self.get_client_ip(request)}"
        )

    def post_login(self, request, user, **kwargs):
        """After login the portal speaks the language the person chose last.

        Someone who switched to English before logging in has chosen (the language cookie is only
        written by a choice): the profile follows, so emails come in English too. Without a
        choice on this browser, the profile's language applies.
        """
        response = super().post_login(request, user, **kwargs)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES):
            if user.preferred_language != chosen:
                user.preferred_language = chosen
                user.save(update_fields=["preferred_language"])
        elif user.preferred_language:
            translation.activate(user.preferred_language)
            set_language_cookie(response, user.preferred_language)
        return response
