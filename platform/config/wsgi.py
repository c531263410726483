"""WSGI entry point (gunicorn config.wsgi). Refuses to serve with the development secret key
unless DEBUG is on: sessions and tokens signed with a public key would be forgeable."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (only once the app is set up)

if settings.SECRET_KEY == settings.INSECURE_SECRET_KEY and not settings.DEBUG:
    raise ImproperlyConfigured("set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true) to serve")
