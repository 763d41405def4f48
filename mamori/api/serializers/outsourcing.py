from rest_framework import serializers

from mamori.api.serializers.common import Link, ProgramRef


class ContractorRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    corporate_number = serializers.CharField(help_text="法人番号（13桁、未登録は空）")


class ContractSummary(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="契約件名")
    kind = serializers.CharField(help_text="outsourcing 委託 / sub 再委託 / subsub 再々委託 / …")
    kind_label = serializers.CharField(source="get_kind_display")
    program = ProgramRef()
    contractor = ContractorRef()
    parent = serializers.IntegerField(source="parent_id", allow_null=True, help_text="元の契約（再委託のとき）")
    approved_on = serializers.DateField(allow_null=True, help_text="再委託の書面承認日（特記事項第10条）")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    items = serializers.ListField(child=serializers.CharField(), help_text="引き渡す記録項目")
    url = Link("api:contract", "pk")


class ChainLink(serializers.Serializer):
    depth = serializers.IntegerField(help_text="0 が元請の契約")
    id = serializers.IntegerField(source="contract.pk")
    title = serializers.CharField(source="contract.title")
    kind = serializers.CharField(source="contract.kind")
    kind_label = serializers.CharField(source="contract.get_kind_display")
    contractor = ContractorRef(source="contract.contractor")
    starts_on = serializers.DateField(source="contract.starts_on")
    ends_on = serializers.DateField(source="contract.ends_on")
    approved_on = serializers.DateField(source="contract.approved_on", allow_null=True)
    unapproved = serializers.BooleanField(source="contract.unapproved_sub", help_text="書面承認のない再委託")


class FormReceipt(serializers.Serializer):
    form = serializers.CharField(help_text="別紙1〜3")
    label = serializers.CharField(source="get_form_display")
    received_on = serializers.DateField()


class IncidentReport(serializers.Serializer):
    """特記事項第13条: the contractor's report of an accident."""

    id = serializers.IntegerField()
    contract = serializers.IntegerField(source="contract_id")
    occurred_on = serializers.DateField(allow_null=True)
    reported_on = serializers.DateField()
    summary = serializers.CharField()
    created_at = serializers.DateTimeField()


class ContractDetail(ContractSummary):
    work = serializers.CharField(help_text="業務の内容")
    chain = ChainLink(many=True, help_text="委託の連鎖（元請から再委託・再々委託まで、深さ優先）")
    forms = FormReceipt(many=True, source="forms.all")
    incident_reports = IncidentReport(many=True, source="incident_reports.all")


class IncidentReportCreate(serializers.Serializer):
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="発生日")
    reported_on = serializers.DateField(help_text="報告を受けた日")
    summary = serializers.CharField(help_text="概要（特記事項第13条の報告）")
