from rest_framework import serializers

from mamori.api.serializers.common import Link, UnitRef


class AffectedGroup(serializers.Serializer):
    name = serializers.CharField(help_text="本人の区分")
    count = serializers.IntegerField(help_text="人数")


class Trigger(serializers.Serializer):
    key = serializers.CharField()
    article = serializers.CharField(help_text="根拠（規則第43条第1号 など）")
    label = serializers.CharField()
    applies = serializers.BooleanField()
    reason = serializers.CharField()


class Assessment(serializers.Serializer):
    triggers = Trigger(many=True)
    reportable = serializers.BooleanField(help_text="規則第43条による報告の要否（評価のとおり）")
    my_number_report = serializers.BooleanField(help_text="番号法による報告の要否")
    notes = serializers.ListField(child=serializers.CharField())


class IncidentSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    occurred_on = serializers.DateField(allow_null=True)
    learned_on = serializers.DateField(help_text="職員が知った日")
    unit = UnitRef()
    programs = serializers.SerializerMethodField(help_text="関係する事務事業の管理番号")
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    contractor_name = serializers.CharField()
    persons = serializers.IntegerField(help_text="本人の数（区分の合計）")
    confirmed = serializers.BooleanField(help_text="報告の要否を保護担当が確認済み")
    reportable = serializers.BooleanField(help_text="報告の要否（確認での上書きがあればそれ）")
    sokuhou_on = serializers.DateField(allow_null=True, help_text="速報日")
    kakuhou_on = serializers.DateField(allow_null=True, help_text="確報日")
    url = Link("api:incident", "pk")

    def get_programs(self, incident) -> list[str]:
        return [p.code for p in incident.programs.all()]


class IncidentDetail(IncidentSummary):
    summary = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField(), help_text="漏えい等した項目")
    groups = AffectedGroup(many=True, source="groups.all")
    media = serializers.CharField()
    cause = serializers.CharField()
    malicious = serializers.BooleanField()
    property_damage = serializers.BooleanField()
    encrypted = serializers.BooleanField()
    recovered_unseen = serializers.BooleanField()
    secondary_damage = serializers.CharField()
    measures_done = serializers.CharField()
    measures_planned = serializers.CharField()
    notice_method = serializers.CharField()
    notice_on = serializers.DateField(allow_null=True)
    notice_exception = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    assessment = Assessment()
    kakuhou_due = serializers.DateField(help_text="確報の期限（規則第44条第2項）")
