from django.urls import path
from django.views.generic import TemplateView

from pages import views
from pages.accessibility import AUDIT

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="pages/accessibility.html", extra_context={"audit": AUDIT}),
        name="accessibility",
    ),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
]
