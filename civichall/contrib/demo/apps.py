from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo app: data, pictures, fake departments and demo commands."""

    name = "civichall.contrib.demo"
    label = "demo"
    verbose_name = "CivicHall demo"
    default_auto_field = "django.db.models.BigAutoField"
