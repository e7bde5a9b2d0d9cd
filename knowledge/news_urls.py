from django.urls import path

from knowledge import news_views

app_name = "news"

urlpatterns = [
    path("", news_views.news_list, name="list"),
    path("feed/", news_views.NewsFeed(), name="feed"),
    path("newsletter/", news_views.newsletter_subscribe, name="newsletter"),
    path("newsletter/done/", news_views.newsletter_done, name="newsletter_done"),
    path("newsletter/confirm/<str:token>/", news_views.newsletter_confirm, name="newsletter_confirm"),
    path(
        "newsletter/unsubscribe/<str:token>/",
        news_views.newsletter_unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("<slug:slug>/", news_views.news_detail, name="detail"),
]
