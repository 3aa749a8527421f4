from django.urls import path

from . import views

app_name = "ads"

urlpatterns = [
    path("fill/", views.fill, name="fill"),
    path("impression/", views.impression, name="impression"),
    path("click/<str:token>/", views.click, name="click"),
    path("noscript/<slug:key>/", views.noscript_image, name="noscript"),
    path("noscript/<slug:key>/click/", views.noscript_click, name="noscript_click"),
    path("slots.css", views.slots_css, name="slots_css"),
]
