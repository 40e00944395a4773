from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup_view, name="signup"),
    path("welcome/<str:uidb64>/<str:token>/", views.welcome_view, name="welcome"),
    path("welcome/resend/", views.resend_link_view, name="resend_link"),
    path("me/", views.account_view, name="account"),
    path("me/tokens/<id:pk>/revoke/", views.revoke_token_view, name="revoke_token"),
    path("language/", views.set_language_view, name="set_language"),
]
