"""The dashboard's small tags render what the template used to spell out inline."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import translation

from dashboard.templatetags.dashboard import behind_schedule, linked, meeting_date


def test_a_figure_links_only_when_there_is_a_url_and_something_behind_it():
    assert linked(3, "/admin/x/?a=1&b=2") == '<a href="/admin/x/?a=1&amp;b=2">3</a>'
    assert linked(3, None) == "3"
    assert linked(0, "/admin/x/", when=0) == "0"
    assert linked("<b>", None) == "&lt;b&gt;"


def test_a_meeting_date_is_a_time_in_copenhagen_linked_when_it_may_be_opened():
    starts = datetime.datetime(2026, 12, 8, 9, 0, tzinfo=ZoneInfo("UTC"))
    with translation.override("en"):
        assert meeting_date(starts, "/governance/meetings/2/", "SHORT_DATE_FORMAT") == (
            '<a href="/governance/meetings/2/">'
            '<time datetime="2026-12-08T10:00:00+01:00">08/12/2026</time></a>'
        )
        assert meeting_date(starts, None, "SHORT_DATE_FORMAT").startswith("<time ")


def test_behind_schedule_names_the_reasons_or_says_no():
    project = SimpleNamespace(planned_end=datetime.date(2025, 6, 30))
    late = SimpleNamespace(is_late=True, overdue=[1, 2], past_planned_end=True, project=project)
    with translation.override("en"):
        assert behind_schedule(late) == (
            '<span class="dash-alert">2 milestones overdue; planned to end 30/06/2025</span>'
        )
        assert behind_schedule(SimpleNamespace(is_late=False)) == "No"
    with translation.override("da"):
        one = SimpleNamespace(is_late=True, overdue=[1], past_planned_end=False, project=project)
        assert behind_schedule(one) == '<span class="dash-alert">1 milepæl overskredet</span>'
