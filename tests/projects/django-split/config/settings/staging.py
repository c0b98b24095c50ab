"""Staging runs production's settings with its own secret and HTTPS on."""

import os

from .production import *  # noqa: F403

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["staging.example.com"]
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "True").lower() == "true"
SESSION_COOKIE_SECURE = True
# The CSRF token lives in the session: there is no CSRF cookie.
CSRF_USE_SESSIONS = True
