from django.urls import path

from core import notices, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", notices.notices_view, name="notices"),
]
