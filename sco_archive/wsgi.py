"""WSGI entry point: ``gunicorn sco_archive.wsgi`` (behind nginx: deploy/README.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_archive.settings")

application = get_wsgi_application()
