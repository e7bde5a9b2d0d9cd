from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.messages.views import SuccessMessageMixin
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import UpdateView

from accounts.forms import ProfileForm
from accounts.language import set_language_cookie


@require_POST
def set_language(request):
    """Switch the portal's language; a signed-in person keeps it as their preference.

    Django's own set_language does the cookie; this one also stores the choice on the
    profile, so emails sent later by a worker go out in the same language.
    """
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if code in ("da", "en") and check_for_language(code):
        set_language_cookie(response, code)
        user = request.user
        if user.is_authenticated and user.preferred_language != code:
            user.preferred_language = code
            user.save(update_fields=["preferred_language"])
    return response


class ProfileView(LoginRequiredMixin, SuccessMessageMixin, UpdateView):
    """The signed-in person's own profile; there is no way to reach anyone else's."""

    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = _("Your profile has been saved.")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        set_language_cookie(response, form.instance.preferred_language)
        return response
