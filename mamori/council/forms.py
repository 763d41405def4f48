from django import forms

from mamori.core.calendar import fiscal_year
from mamori.core.concurrency import VersionedForm
from mamori.core.forms import WarekiDateField
from mamori.register.importers.limits import MB, SPLIT, Limits, mb, refuse


class MeetingForm(VersionedForm):
    fiscal_year = forms.IntegerField(label="年度（西暦の開始年）", min_value=2000, max_value=2100, help_text="令和6年度なら 2024")
    number = forms.IntegerField(label="回", min_value=1, max_value=99)
    date = WarekiDateField(label="開催日")
    start_time = forms.TimeField(label="開始時刻", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label="場所", max_length=120, required=False)
    agenda = forms.CharField(label="議題（1行に1つ）", required=False, widget=forms.Textarea(attrs={"rows": 7}),
                             help_text="空欄のまま新規登録すると、その年度の標準の議題が入ります。")

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("fiscal_year") and fiscal_year(data["date"]) != data["fiscal_year"]:
            self.add_error("date", f"開催日は{data['fiscal_year']}年度（{data['fiscal_year']}年4月〜{data['fiscal_year'] + 1}年3月）の日付にしてください。")
        data["agenda_list"] = [line.strip() for line in (data.get("agenda") or "").splitlines() if line.strip()]
        return data


class IngestUploadForm(forms.Form):
    """A council packet or 届出書 to read (register.importers, within settings.MAMORI_INGEST_LIMITS)."""

    file = forms.FileField(label="審議会資料・届出書（.txt・.pdf・.docx）", allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".txt,.pdf,.docx"}))
    dry_run = forms.BooleanField(label="読み取りだけ行い、取り込まない（確認用）", required=False)

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = Limits.from_settings().file_mb
        if file.size > limit * MB:
            raise forms.ValidationError(str(refuse("ファイルの大きさ", f"{limit} MB", mb(file.size), "file_mb", "審議会資料・届出書ごとに" + SPLIT)))
        return file
