from .base import *  # noqa: F403

INTERNAL_IPS = ["127.0.0.1"]
