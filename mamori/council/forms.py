from django import forms
from django.utils import timezone

from mamori.core.calendar import fiscal_year, fiscal_year_bounds, fiscal_year_label, wareki
from mamori.core.concurrency import VersionedForm
from mamori.core.forms import WarekiDateField
from mamori.register.forms import LimitedText
from mamori.register.importers.limits import MB, SPLIT, Limits, mb, refuse

AGENDA_LINE = 200  # one 議題 as the 次第 prints it


def fiscal_year_choices(*keep: int | None) -> list[tuple[int, str]]:
    """令和N年度 for the ten years before this one and the two after (and any year a meeting already has)."""
    this = fiscal_year(timezone.localdate())
    years = set(range(this - 10, this + 3)) | {y for y in keep if y}
    return [(y, fiscal_year_label(y)) for y in sorted(years, reverse=True)]


class MeetingForm(VersionedForm):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int, choices=())
    number = forms.IntegerField(label="回", min_value=1, max_value=99)
    date = WarekiDateField(label="開催日")
    start_time = forms.TimeField(label="開始時刻", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(label="場所", max_length=120, required=False)
    agenda = LimitedText(label="議題（1行に1つ）", limit=2000, required=False, widget=forms.Textarea(attrs={"rows": 7}),
                         help_text=f"空欄のまま新規登録すると、その年度の標準の議題が入ります。1行{AGENDA_LINE}文字まで、全体で")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = fiscal_year_choices(self.initial.get("fiscal_year"))
        self.fields["fiscal_year"].initial = fiscal_year(timezone.localdate())

    def clean(self):
        data = super().clean()
        year = data.get("fiscal_year")
        if data.get("date") and year and fiscal_year(data["date"]) != year:
            first, last = fiscal_year_bounds(year)
            self.add_error("date", f"開催日は{fiscal_year_label(year)}（{wareki(first)}〜{wareki(last)}）の日付にしてください。")
        lines = [line.strip() for line in (data.get("agenda") or "").splitlines() if line.strip()]
        long = [n for n, line in enumerate(lines, start=1) if len(line) > AGENDA_LINE]
        if long:
            self.add_error("agenda", f"議題は1行{AGENDA_LINE}文字以内にしてください（{'・'.join(map(str, long))}行目が長すぎます）。")
        data["agenda_list"] = lines
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
