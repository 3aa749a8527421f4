from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<int:article_id>/post/", views.post_comment, name="post"),
    path("<int:article_id>/feed/", views.comment_feed, name="feed"),
    path("ticket/", views.ticket, name="ticket"),
    path("report/<int:comment_id>/", views.report_comment, name="report"),
    path("notify/confirm/<str:token>/", views.notify_confirm, name="notify_confirm"),
    path("notify/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
