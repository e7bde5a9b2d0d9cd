from django.urls import path

from knowledge import events_views as views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.ics", views.feed, name="feed"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("cancel/<str:token>/", views.cancel, name="cancel"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_calendar, name="ics"),
    path("<slug:slug>/materials/<int:pk>/", views.material, name="material"),
]
