from django.urls import path

from core import help, notices, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", notices.notices_view, name="notices"),
    path("help/", help.help_index, name="help"),
    path("help/<slug:page>/", help.help_page, name="help_page"),
]
