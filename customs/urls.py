from django.urls import path

from customs import views

app_name = "customs"
urlpatterns = [
    path("coi/<id:pk>/", views.coi_quantities, name="quantities"),
]
