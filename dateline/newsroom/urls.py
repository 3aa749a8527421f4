from django.urls import path

from . import views

app_name = "newsroom"

urlpatterns = [
    path("authors/", views.author_list, name="authors"),
    path("corrections/", views.corrections, name="corrections"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("manifest.webmanifest", views.web_app_manifest, name="manifest"),
]
