from django.urls import path, re_path

from .api import api
from .views import not_found

urlpatterns = [
    path("", api.urls),
    re_path(r"", not_found),
]
