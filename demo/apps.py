from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo scenario of the guides (`manage.py demo`): the top floor, it may import every app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
