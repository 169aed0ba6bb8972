"""The REST API (Django Ninja): one router per app, mounted under /api/v1/."""
