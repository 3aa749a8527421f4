from django.urls import path, re_path

from . import views

app_name = "api_v1"

urlpatterns = [
    path("articles/", views.article_list, name="articles"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("sections/", views.section_list, name="sections"),
    path("authors/", views.author_list, name="authors"),
    path("tags/", views.tag_list, name="tags"),
    path("openapi.json", views.openapi, name="openapi"),
    re_path(r"", views.not_found),
]
