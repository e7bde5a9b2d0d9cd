import pytest

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_the_portals_404_in_danish(client):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Siden blev ikke fundet</h1>" in html
    assert 'class="skipnav"' in html


def test_server_error_page_renders_without_a_request_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "<h1>" in html and "Der opstod en fejl" in html
