from rest_framework import serializers

from mamori.api.serializers.common import Link


class Session(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField(help_text="日程")
    name = serializers.CharField(help_text="研修名")
    target = serializers.CharField(help_text="対象者")
    participants = serializers.IntegerField(help_text="参加者数")
    note = serializers.CharField()
    url = Link("api:training_session", "pk")
