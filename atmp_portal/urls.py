from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from pages.views import health

admin.site.site_header = _("ATMP Danmark – administration")
admin.site.site_title = _("ATMP Danmark – administration")
admin.site.index_title = _("Secretariat")
admin.site.site_url = "/"

urlpatterns = [
    # The admin has no login of its own: everyone signs in through allauth (MFA, rate limits).
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("privacy.urls")),
    path("budget/", include("budget.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("directory/", include("network.urls")),
    path("downloads/", include("downloads.urls")),
    path("events/", include("knowledge.events_urls")),
    path("governance/", include("governance.urls")),
    path("health/", health, name="health"),
    path("knowledge/", include("knowledge.urls")),
    path("news/", include("knowledge.news_urls")),
    path("projects/", include("projects.urls")),
    path("requests/", include("inquiries.urls")),
    path("", include("pages.urls")),
]

# The portal's error pages; they never read the request body (pages/errors.py says why).
handler400 = "pages.errors.bad_request"
handler403 = "pages.errors.permission_denied"
handler404 = "pages.errors.page_not_found"
handler500 = "pages.errors.server_error"
