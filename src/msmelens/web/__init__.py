"""The Django project: settings, URLs, WSGI entry point, middleware and cache helpers."""
