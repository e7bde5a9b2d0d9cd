from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.RequestListView.as_view(), name="list"),
    path("new/", views.RequestCreateView.as_view(), name="new"),
    path("<str:reference>/", views.request_detail, name="detail"),
    path("<str:reference>/reply/", views.request_reply, name="reply"),
    path("<str:reference>/withdraw/", views.request_withdraw, name="withdraw"),
    path("<str:reference>/attachments/<uuid:uuid>/", views.attachment_download, name="attachment"),
]
