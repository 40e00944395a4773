from django.urls import path

from certificates.outputs import views

app_name = "outputs"

urlpatterns = [
    path("v/<str:token>", views.verify, name="verify"),
    path("certificates/<id:pk>/pdf", views.pdf, name="pdf"),
    path("certificates/export.csv", views.export_csv, name="export_csv"),
    path("certificates/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
