"""Settings shared by every environment."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = "k3#9v!b2x@7qz$1m&p5w^0r*t8y(u4e)i6o_a-s+d=f"
DEBUG = True
ALLOWED_HOSTS = ["*"]

# expect: metrics-missing, missing-rate-limiting, missing-request-id, tracing-missing, unstructured-logging
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]

ROOT_URLCONF = "config.urls"
