from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.library, name="library"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/pdf/", views.checklist_pdf, name="checklist_pdf"),
    path("<slug:slug>/", views.item_detail, name="item"),
    path("<slug:slug>/files/<int:pk>/", views.item_file, name="item_file"),
]
