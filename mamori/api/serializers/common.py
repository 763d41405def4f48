from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class Error(serializers.Serializer):
    field = serializers.CharField(allow_null=True, help_text="誤りのある入力の位置（例：proposed.groups[0].items[1]）。リクエスト全体なら null")
    message = serializers.CharField()


class ErrorBody(serializers.Serializer):
    """Every error: a message, and the inputs in error (docs/api.md「エラー」)."""

    message = serializers.CharField()
    errors = Error(many=True)


class Change(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    now = serializers.CharField()


class StaleBody(ErrorBody):
    """409: the record changed after the version sent; nothing was saved."""

    version = serializers.CharField(help_text="記録の現在の版。内容を確かめてから、これを version に入れて送り直します")
    changes = Change(many=True)


class UnitRef(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    label = serializers.CharField(help_text="担当の表記（部 課 係）")


class ProgramRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="__str__", help_text="事務事業名（現行の版）")


@extend_schema_field({"type": "string", "format": "uri"})
class Link(serializers.Field):
    """The record's address in the API (absolute, from the request)."""

    def __init__(self, view_name: str, *attrs: str, **kwargs):
        self.view_name, self.attrs = view_name, attrs or ("pk",)
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj):
        from django.urls import reverse

        args = []
        for attr in self.attrs:
            value = obj
            for part in attr.split("."):
                value = value[part] if isinstance(value, dict) else getattr(value, part)
            args.append(value)
        url = reverse(self.view_name, args=args)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
