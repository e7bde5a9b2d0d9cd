from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("data/", views.my_data, name="data"),
    path("data/export/", views.export_request, name="export"),
    path("delete/", views.delete_account, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
