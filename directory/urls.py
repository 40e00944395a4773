from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.start, name="start"),
    path("roles/", views.roles, name="roles"),
    path("requests/", views.queue, name="queue"),
]
