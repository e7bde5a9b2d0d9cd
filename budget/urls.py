from django.urls import path

from budget import views

app_name = "budget"

urlpatterns = [
    path("", views.report, name="report"),
    path("report.<str:fmt>", views.report_export, name="report_export"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.<str:fmt>", views.ledger_export, name="ledger_export"),
    path("ledger/excel/", views.ledger_xlsx_prepare, name="ledger_xlsx_prepare"),
    path("applications/", views.applications, name="applications"),
]
