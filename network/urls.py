from django.urls import path

from network import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.entry_detail, name="entry"),
]
