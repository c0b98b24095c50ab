import os

from django.core.asgi import get_asgi_application

# A fallback for tools; the deployment names its settings module itself.
# expect: env-example-missing
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_asgi_application()
