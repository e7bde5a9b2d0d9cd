from django.urls import path
from django.views.generic import TemplateView

from pages import views

app_name = "pages"

urlpatterns = [
    path("", TemplateView.as_view(template_name="pages/home.html"), name="home"),
    path(
        "accessibility/", TemplateView.as_view(template_name="pages/accessibility.html"), name="accessibility"
    ),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("favicon.ico", views.favicon, name="favicon"),
]
