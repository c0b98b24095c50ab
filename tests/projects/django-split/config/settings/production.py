"""Production: the base settings with deployment overrides."""

import os

from .base import *  # noqa: F403

# expect: django-base-setting-not-overridden, django-https-not-enforced
DEBUG = os.environ.get("DJANGO_DEBUG", "false").lower() == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "3600"))
# expect: django-cookies-not-secure
SESSION_COOKIE_SECURE = False
