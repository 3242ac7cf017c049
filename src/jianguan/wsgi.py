import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
application = get_wsgi_application()

# Loaded once in gunicorn's master (--preload) and shared by its forked workers.
from jianguan.complaints.classify import warm_up  # noqa: E402

warm_up()
