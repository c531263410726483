"""Django settings, read from environment variables (every one is listed in deploy/.env.example)."""

from pathlib import Path

from config.env import env_bool, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
EXERCISES_DIR = Path(env_str("TJ_EXERCISES_DIR", str(BASE_DIR / "exercises")))

DEBUG = env_bool("DJANGO_DEBUG", False)
# Nothing is served yet (only the `grade` command runs); the web platform will refuse to start
# without a real key.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "submissions",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "config.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("TJ_SQLITE_PATH", str(BASE_DIR / "var" / "db.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
