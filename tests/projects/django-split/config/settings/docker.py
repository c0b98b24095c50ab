"""Local development in containers: the local settings with the compose database."""

from .local import *  # noqa: F403

DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}
