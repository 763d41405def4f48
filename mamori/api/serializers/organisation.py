from rest_framework import serializers


class Organ(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    order = serializers.IntegerField()


class Unit(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    label = serializers.CharField(help_text="担当の表記（部 課 係）")
    kind = serializers.CharField(help_text="division 部 / section 課 / unit 係 / team プロジェクト・チーム")
    kind_label = serializers.CharField(source="get_kind_display")
    organ = serializers.CharField(source="organ.code", help_text="実施機関のコード")
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    active = serializers.BooleanField()
