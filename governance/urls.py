from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("decisions/", views.decisions, name="decisions"),
    path("mine/", views.members_area, name="members_area"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_calendar, name="meeting_ics"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("calendar/reset/", views.calendar_reset, name="feed_reset"),
]
