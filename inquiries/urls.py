from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.InquiryListView.as_view(), name="list"),
    path("new/", views.InquiryCreateView.as_view(), name="new"),
    path("new/suggestions/", views.guidance_suggestions, name="suggestions"),
    path("<str:reference>/", views.inquiry_detail, name="detail"),
    path("<str:reference>/reply/", views.inquiry_reply, name="reply"),
    path("<str:reference>/withdraw/", views.inquiry_withdraw, name="withdraw"),
    path("<str:reference>/attachments/<uuid:uuid>/", views.attachment_download, name="attachment"),
]
