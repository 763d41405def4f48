"""Requests. The requester's name, address and contact are in the answer only for those who handle the
request (disclosure.selectors.can_see_requester): for anyone else the keys are absent, not blank."""
from rest_framework import serializers

from mamori.api.serializers.common import Link, UnitRef
from mamori.disclosure.models import Channel, Procedure, RequesterKind, RequesterRole

REQUESTER_FIELDS = ("requester_name", "requester_address", "requester_contact")


class Document(serializers.Serializer):
    id = serializers.IntegerField()
    department = UnitRef()
    title = serializers.CharField()
    decision = serializers.CharField(help_text="決定（未決定は空）")
    decision_label = serializers.CharField(help_text="手続に合った言葉での決定（公開／開示 …）")
    decided_on = serializers.DateField(allow_null=True)


class RequestSummary(serializers.Serializer):
    number = serializers.CharField(help_text="受付番号")
    procedure = serializers.ChoiceField(choices=Procedure.choices)
    procedure_label = serializers.CharField(source="get_procedure_display")
    organ = serializers.CharField(source="organ.code", help_text="実施機関のコード")
    organ_name = serializers.CharField(source="organ.name")
    departments = UnitRef(many=True, source="departments.all")
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    requester_role = serializers.ChoiceField(choices=RequesterRole.choices)
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices)
    requester_name = serializers.CharField(required=False, help_text="請求を担当する職員にだけ返します（それ以外ではこのキーがありません）")
    requester_address = serializers.CharField(required=False, help_text="同上")
    requester_contact = serializers.CharField(required=False, help_text="同上")
    subject = serializers.CharField(help_text="請求の内容")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    due_on = serializers.DateField(allow_null=True, help_text="決定期限（補正中は null）")
    url = Link("api:request", "number")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context["shows_requester"](instance):
            for key in REQUESTER_FIELDS:
                data.pop(key, None)
        return data


class ClockEvent(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    start_on = serializers.DateField()
    end_on = serializers.DateField(allow_null=True)
    days = serializers.IntegerField(allow_null=True)
    rest_due = serializers.DateField(allow_null=True)


class Appeal(serializers.Serializer):
    filed_on = serializers.DateField()
    consulted_on = serializers.DateField(allow_null=True)
    reported_on = serializers.DateField(allow_null=True)
    ruled_on = serializers.DateField(allow_null=True)
    ruling = serializers.CharField()
    redecided_on = serializers.DateField(allow_null=True)
    stage = serializers.CharField()


class RequestDetail(RequestSummary):
    documents = Document(many=True, source="documents.all")
    clock_events = ClockEvent(many=True, source="clock_events.all")
    appeals = Appeal(many=True, source="appeals.all")


class DocumentIn(serializers.Serializer):
    title = serializers.CharField(max_length=300, help_text="文書の件名")
    department = serializers.CharField(required=False, allow_blank=True, default="", help_text="担当課の組織コード（省略すると departments の最初）")


class RequestCreate(serializers.Serializer):
    procedure = serializers.ChoiceField(choices=Procedure.choices)
    organ = serializers.CharField(help_text="実施機関のコード（/api/v1/organs/）")
    departments = serializers.ListField(child=serializers.CharField(), help_text="担当課の組織コード（1つ以上）")
    received_on = serializers.DateField(help_text="受付日")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.COUNTER)
    requester_role = serializers.ChoiceField(
        choices=RequesterRole.choices, required=False, allow_blank=True, default="",
        help_text="保有個人情報の請求では本人（self、省略時）・法定代理人・任意代理人のどれか（個人情報保護法第76条第2項）。公文書の請求では指定しません。")
    requester_kind = serializers.ChoiceField(choices=RequesterKind.choices, default=RequesterKind.NATURAL)
    requester_name = serializers.CharField(max_length=120)
    requester_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    requester_contact = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    subject = serializers.CharField(help_text="請求の内容")
    documents = DocumentIn(many=True, required=False, default=list)
