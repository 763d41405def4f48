from django import forms

from mamori.core.concurrency import VersionedForm
from mamori.core.forms import LongTextField, WarekiDateField
from mamori.handbooks.models import TEXT_LIMIT, Edition, Handbook

TEXT_HELP = "ページは改ページ、または「―― 5 ――」の行（そのページの番号）で区切ります。行は印刷された行のとおりに改行してください。"
UPLOAD_LIMIT_MB = 20


class HandbookForm(forms.Form):
    name = forms.CharField(label="名称", max_length=120, error_messages={"required": "手引の名称を入力してください（例：個人情報保護制度の手引）。"})


class EditionForm(VersionedForm):
    label = forms.CharField(label="版", max_length=60, error_messages={"required": "版の名前を入力してください（例：令和6年4月版）。"})
    issued_on = WarekiDateField(label="発行日", error_messages={"required": "発行日を入力してください（例：令和6年4月1日）。"})
    text = LongTextField(label="本文", limit=2_000_000, rows=16, required=False, help_text=TEXT_HELP)


class EditionUploadForm(forms.Form):
    label = forms.CharField(label="版", max_length=60, error_messages={"required": "版の名前を入力してください（例：令和6年4月版）。"})
    issued_on = WarekiDateField(label="発行日", error_messages={"required": "発行日を入力してください（例：令和6年4月1日）。"})
    file = forms.FileField(label=f"Word（.docx）または PDF（{UPLOAD_LIMIT_MB} MBまで）", error_messages={"required": "ファイルを選んでください。"})


class RevisionForm(VersionedForm):
    reason = forms.CharField(label="改訂の理由", max_length=200, error_messages={"required": "改訂の理由を入力してください（例：土地開発公社の実施機関からの除外）。"})
    background = LongTextField(label="資料の前文（経緯。空欄なら理由から作ります）", limit=TEXT_LIMIT, required=False, rows=3)
    promulgated_on = WarekiDateField(label="条例の公布日", required=False)
    enforced_on = WarekiDateField(label="条例の施行日（公布日と同じなら空欄）", required=False)
    revised_on = WarekiDateField(label="改訂日", required=False, help_text="空欄なら改訂後の版の発行日。資料7は、前回の審議会の後に改訂日がある確定した改訂を載せます。")


class RevisionNewForm(RevisionForm):
    handbook = forms.ModelChoiceField(label="手引", queryset=Handbook.objects.all(), error_messages={"required": "手引を選んでください。"})
    from_edition = forms.ModelChoiceField(label="改訂前の版", queryset=Edition.objects.select_related("handbook"), error_messages={"required": "改訂前の版を選んでください。"})
    to_edition = forms.ModelChoiceField(label="改訂後の版", queryset=Edition.objects.select_related("handbook"), error_messages={"required": "改訂後の版を選んでください。"})
    field_order = ["handbook", "from_edition", "to_edition"]


class RowForm(VersionedForm):
    location = forms.CharField(label="該当ページ等", max_length=120, error_messages={"required": "該当ページ等を入力してください（例：５ページ 下から８行目）。"})
    before = LongTextField(label="改訂前", limit=TEXT_LIMIT, required=False, rows=2)
    after = LongTextField(label="改訂後", limit=TEXT_LIMIT, required=False, rows=2)


class RowAddForm(forms.Form):
    location = forms.CharField(label="該当ページ等", max_length=120, error_messages={"required": "該当ページ等を入力してください（例：５ページ 下から８行目）。"})
    before = LongTextField(label="改訂前", limit=TEXT_LIMIT, required=False, rows=2)
    after = LongTextField(label="改訂後", limit=TEXT_LIMIT, required=False, rows=2)
