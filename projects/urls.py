from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("timeline/", views.timeline_view, name="timeline"),
    path("deliverables/<int:pk>/", views.deliverable_download, name="deliverable"),
    path("<str:code>/", views.detail, name="detail"),
]
