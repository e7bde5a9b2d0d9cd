import uuid

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from accounts.language import set_language_cookie
from outbox.services import email_queue


class PortalAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the message now, in the request's language, and put it in the outbox.

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
            language=translation.get_language() or "",
            sensitive=True,
        )

    def post_login(self, request, user, **kwargs):
        """After login the portal speaks the language the person chose in their profile."""
        response = super().post_login(request, user, **kwargs)
        if user.preferred_language:
            translation.activate(user.preferred_language)
            set_language_cookie(response, user.preferred_language)
        return response
