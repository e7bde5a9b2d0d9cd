from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.entry_detail, name="entry"),
    # Personal links from emails: two segments, so no entry's address can shadow them.
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
