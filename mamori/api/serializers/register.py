"""The register: vocabulary, programs and their versions, 届出."""
from rest_framework import serializers

from mamori.api.serializers.common import Link, ProgramRef, UnitRef
from mamori.register.models import FlowKind, NotificationKind
from mamori.register.serialize import VERSION_KEYS


class Category(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    order = serializers.IntegerField()


class NamedRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class Item(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.CharField(source="category.name", allow_null=True, default=None)
    sensitive = serializers.BooleanField(source="is_sensitive", help_text="要配慮個人情報（同義語は正式名の区分）")
    my_number = serializers.BooleanField(source="is_my_number", help_text="個人番号（特定個人情報）")
    alias_of = NamedRef(allow_null=True, help_text="同義語のとき、その正式名の項目")
    synonyms = serializers.SerializerMethodField(help_text="正式名の項目の同義語")
    reviewed = serializers.BooleanField(help_text="false：届出に初めて現れた名前で、保護担当が未確認")
    note = serializers.CharField()

    def get_synonyms(self, item) -> list[str]:
        return [a.name for a in item.aliases.all()]


class ItemUse(serializers.Serializer):
    """An item as a version records it: the name as written, and the vocabulary entry it stands for."""

    name = serializers.CharField(source="written_name", help_text="届出に書かれたとおりの項目名")
    item = serializers.CharField(source="item.canonical.name", help_text="語彙の正式名")
    item_id = serializers.IntegerField(source="item.canonical.pk")
    sensitive = serializers.BooleanField(source="item.is_sensitive")
    my_number = serializers.BooleanField(source="item.is_my_number")


class Group(serializers.Serializer):
    name = serializers.CharField(help_text="本人の範囲")
    note = serializers.CharField()
    items = ItemUse(many=True, source="items.all")


class Flow(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FlowKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    program = ProgramRef(allow_null=True, help_text="目的外利用の相手の事務事業")
    party = serializers.CharField(help_text="相手先（他機関・提供先・委託先・オンライン結合の相手）")
    purpose = serializers.CharField()
    items = ItemUse(many=True, source="items.all")


class Version(serializers.Serializer):
    number = serializers.IntegerField(help_text="版")
    name = serializers.CharField()
    unit = UnitRef()
    purpose = serializers.CharField()
    legal_basis = serializers.CharField()
    computerized = serializers.BooleanField()
    manual = serializers.BooleanField()
    retention = serializers.CharField()
    person_count = serializers.IntegerField(allow_null=True, help_text="本人の数")
    started_on = serializers.DateField(allow_null=True)
    abolished_on = serializers.DateField(allow_null=True)
    effective_from = serializers.DateField(help_text="適用年月日")
    special_procedures = serializers.CharField()
    note = serializers.CharField()
    sensitive = serializers.BooleanField(source="has_sensitive", help_text="要配慮個人情報を含む")
    my_number = serializers.BooleanField(source="has_my_number", help_text="特定個人情報（マイナンバー）を含む")
    groups = Group(many=True, source="groups.all")
    flows = Flow(many=True, source="flows.all")


class VersionSummary(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    effective_from = serializers.DateField()
    unit = UnitRef()
    notification = serializers.SerializerMethodField(help_text="この版を作った届出の番号（移行した版では null）")
    url = Link("api:program_version", "program.code", "number")

    def get_notification(self, version) -> str | None:
        n = getattr(version, "notification", None)
        return n.number if n is not None else None


class ProgramSummary(serializers.Serializer):
    code = serializers.CharField(help_text="管理番号")
    name = serializers.CharField(source="current.name")
    unit = UnitRef(source="current.unit")
    version = serializers.IntegerField(source="current.number", help_text="現行の版")
    effective_from = serializers.DateField(source="current.effective_from")
    person_count = serializers.IntegerField(source="current.person_count", allow_null=True)
    abolished_on = serializers.DateField(source="current.abolished_on", allow_null=True)
    sensitive = serializers.BooleanField(help_text="要配慮個人情報を含む")
    my_number = serializers.BooleanField(help_text="特定個人情報（マイナンバー）を含む")
    url = Link("api:program", "code")


class Incoming(serializers.Serializer):
    """A flow of another program's current version that names this one."""

    kind = serializers.ChoiceField(choices=FlowKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    program = ProgramRef(source="version.program")
    items = serializers.SerializerMethodField()

    def get_items(self, flow) -> list[str]:
        return [fi.written_name for fi in flow.items.all()]


class ProgramDetail(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="current.name")
    current = Version(source="version")
    versions = VersionSummary(many=True)
    incoming = Incoming(many=True, help_text="この事務事業を相手に指定している他の事務事業の流れ（目的外利用・提供）")
    url = Link("api:program", "code")


# ---------------------------------------------------------------- 届出


class NotificationSummary(serializers.Serializer):
    number = serializers.CharField(help_text="届出番号")
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    program = serializers.CharField(source="program.code", allow_null=True, default=None, help_text="変更・廃止する事務事業の管理番号（新規は null）")
    program_name = serializers.CharField()
    unit = UnitRef(allow_null=True)
    effective_date = serializers.DateField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    url = Link("api:notification", "number")


class NotificationEvent(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    actor = serializers.CharField(allow_null=True, default=None)
    comment = serializers.CharField()


class NotificationDetail(NotificationSummary):
    reason = serializers.CharField(help_text="理由及び経緯")
    content = serializers.CharField(help_text="内容")
    proposed = serializers.DictField(help_text="届出後の登録内容（docs/data-format.md の version の形）")
    base_version = serializers.IntegerField(source="base_version.number", allow_null=True, default=None, help_text="変更前の版")
    result_version = serializers.IntegerField(source="result_version.number", allow_null=True, default=None, help_text="受理後の版")
    events = NotificationEvent(many=True, source="events.all")
    actions = serializers.ListField(child=serializers.CharField(), help_text="この利用者がいま行える操作（submit など）")
    version = serializers.CharField(help_text="この届出の版。提出などの操作でそのまま送ります（古い版なら 409）")


class ProposedGroup(serializers.Serializer):
    name = serializers.CharField(max_length=120, help_text="本人の範囲（例：受給者）")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    items = serializers.ListField(child=serializers.CharField(max_length=120), default=list, help_text="記録項目の名前")


class ProposedFlow(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FlowKind.choices)
    program = serializers.CharField(required=False, allow_null=True, allow_blank=True, default=None, help_text="目的外利用の相手の管理番号")
    party = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    items = serializers.ListField(child=serializers.CharField(max_length=120), default=list)


class Proposed(serializers.Serializer):
    """届出後の登録内容: docs/data-format.md's version shape (the same as export and import)."""

    name = serializers.CharField(max_length=200, help_text="事務事業名")
    unit = serializers.CharField(help_text="担当の組織コード（/api/v1/units/ の code）")
    purpose = serializers.CharField(required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    computerized = serializers.BooleanField(required=False, default=True)
    manual = serializers.BooleanField(required=False, default=False)
    retention = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    person_count = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    abolished_on = serializers.DateField(required=False, allow_null=True, default=None)
    special_procedures = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    groups = ProposedGroup(many=True, required=False, default=list)
    flows = ProposedFlow(many=True, required=False, default=list)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        for key in ("started_on", "abolished_on"):
            value[key] = value[key].isoformat() if value.get(key) else None
        return {k: value[k] for k in VERSION_KEYS if k in value}


class NotificationCreate(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices, help_text="new 新規 / change 変更 / abolish 廃止")
    program = serializers.CharField(required=False, allow_blank=True, default="", help_text="変更・廃止する事務事業の管理番号")
    reason = serializers.CharField(help_text="理由及び経緯")
    content = serializers.CharField(help_text="内容")
    effective_date = serializers.DateField(help_text="適用年月日（新規は開始日、変更は変更日、廃止は廃止日）")
    proposed = Proposed(required=False, allow_null=True, default=None, help_text="届出後の登録内容（廃止では不要：現行の内容から作ります）")


VERSION_NEEDED = "届出の版（version）を送ってください。届出を GET したときの応答にあります。"


class Action(serializers.Serializer):
    version = serializers.CharField(help_text="GET で受け取った届出の version", error_messages={"required": VERSION_NEEDED, "blank": VERSION_NEEDED})
    comment = serializers.CharField(required=False, allow_blank=True, default="")
