"""Requests per user and minute (MAMORI_API_RATE), read when asked so a test or an operator can change it;
counted in the database ("shared" cache), so every app server counts the same requests."""
from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import UserRateThrottle


class PerUser(UserRateThrottle):
    scope = "user"
    cache = caches["shared"]

    def get_rate(self):
        return settings.MAMORI_API_RATE
