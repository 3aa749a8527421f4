from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<int:article_id>/post/", views.post_comment, name="post"),
]
