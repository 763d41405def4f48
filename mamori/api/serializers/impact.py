"""The impact analysis' answer (impact.selectors.Answer), as the page and the CSV show it."""
from rest_framework import serializers


class Step(serializers.Serializer):
    kind = serializers.CharField(help_text="direct / outsource / sub / flow_outsource / reuse / provide / recipient / partner")
    label = serializers.CharField()


class ContractRef(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    contractor = serializers.CharField()
    kind = serializers.CharField(help_text="契約の種類（委託・再委託 …）")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    chain = serializers.ListField(child=serializers.CharField(), help_text="元請から順の受注者")


class Affected(serializers.Serializer):
    code = serializers.CharField(help_text="管理番号")
    name = serializers.CharField()
    unit = serializers.CharField(help_text="担当（連絡先）")
    unit_id = serializers.IntegerField(source="unit_pk")
    path = Step(many=True, help_text="この事務事業に至る経路（直接・目的外利用・再委託 …）")
    path_label = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    sensitive_items = serializers.ListField(child=serializers.CharField(), help_text="そのうち要配慮個人情報")
    my_number = serializers.BooleanField()
    person_count = serializers.IntegerField(allow_null=True, help_text="本人の数（未記入は null）")
    contracts = ContractRef(many=True, help_text="基準日に期間内の契約")


class Answer(serializers.Serializer):
    kind = serializers.CharField(help_text="contractor / item / program / recipient / partner")
    kind_label = serializers.CharField()
    subject = serializers.CharField(help_text="調べた相手")
    on = serializers.DateField(help_text="基準日")
    rows = Affected(many=True)
    total_persons = serializers.IntegerField(help_text="本人の数の合計（事務事業ごとに1回数える）")
    unknown_counts = serializers.IntegerField(help_text="本人の数が未記入の事務事業の数")
    any_sensitive = serializers.BooleanField()
    any_my_number = serializers.BooleanField()
    contact_units = serializers.ListField(child=serializers.CharField(), help_text="連絡する担当")
    notes = serializers.ListField(child=serializers.CharField())
