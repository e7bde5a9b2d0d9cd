from django.urls import path

from downloads import views

app_name = "downloads"

urlpatterns = [
    path("<uuid:uuid>/", views.download_status, name="status"),
    path("<uuid:uuid>/progress/", views.download_progress, name="progress"),
    path("<uuid:uuid>/file/", views.download_file, name="file"),
]
