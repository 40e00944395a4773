from django.urls import path

from customs import views

app_name = "customs"
urlpatterns = [
    path("coi/<id:pk>/", views.coi_quantities, name="quantities"),
    path("offices/<str:code>/clients/", views.machine_clients, name="clients"),
    path("offices/<str:code>/clients/<id:pk>/revoke/", views.revoke_client, name="revoke_client"),
    path("offices/<str:code>/staff/", views.office_staff, name="staff"),
    path("offices/<str:code>/staff/<id:pk>/admin/", views.set_office_admin, name="set_admin"),
]
