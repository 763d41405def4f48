"""Requests per user and minute (MAMORI_API_RATE), read when asked so a test or an operator can change it."""
from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class PerUser(UserRateThrottle):
    scope = "user"

    def get_rate(self):
        return settings.MAMORI_API_RATE
