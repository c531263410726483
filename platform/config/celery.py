"""The Celery app. Workers: `celery -A config worker -Q cpu` (or `-Q gpu` on GPU hosts), with
platform/ and the repository root on PYTHONPATH (deploy/local/run.py does this)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("tensorjudge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
