"""The benchmark's URLconf: the portal's, plus the floor page (never part of the portal itself)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from inquiries.models import Inquiry

FLOOR = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}<div class="container"><h1>Floor</h1><table class="table">
{% for reference, subject in rows %}<tr><td>{{ reference }}</td><td>{{ subject }}</td></tr>{% endfor %}
</table></div>{% endblock content %}"""
)


def floor(request):
    """The base template and one indexed 25-row query: the cheapest a staff page can be."""
    rows = list(Inquiry.objects.order_by("-submitted_at").values_list("reference", "subject")[:25])
    return HttpResponse(FLOOR.render({"rows": rows}, request))


urlpatterns = [path("bench-floor/", floor), path("", include("atmp_portal.urls"))]
