"""WSGI entry point (gunicorn sco_archive.wsgi).

Anonymous repeat reads are answered by the cache front before Django runs
(sco_archive/front.py); everything else goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_archive.settings")

django_application = get_wsgi_application()

from sco_archive.front import CacheFront  # noqa: E402  (needs the settings configured)

application = CacheFront(django_application)
