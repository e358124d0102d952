"""config.wsgi's application for tests.app_server: production settings, except that static
files keep their own names, since a throw-away server has run no collectstatic."""

from django.conf import settings

settings.STORAGES = settings.STORAGES | {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}

from config.wsgi import application  # noqa: E402

__all__ = ["application"]
