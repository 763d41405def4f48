import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mamori.core.models import User
from mamori.council import services as council
from mamori.register.importers.council_documents import IngestError, parse, read_document
from mamori.register.importers.ingest import ingest


class Command(BaseCommand):
    help = (
        "審議会資料・届出書（.txt / .pdf / .docx）を読み、事務事業ごとの届出として取り込みます。"
        "取り込んだ届出は「取込済・確認待ち」になり、保護担当が画面で確認して受理するまで管理簿は変わりません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="何も書き込まず、読み取った内容だけを出力します。")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--user", help="取込を行う利用者のユーザー名（監査記録に残ります）")

    def handle(self, *args, file: Path, dry_run: bool, format: str, user: str | None, **options):
        try:
            text = read_document(file)
        except IngestError as exc:
            raise CommandError(f"{exc}（何も書き込んでいません）") from exc
        result = parse(text, file.name)
        if not result.notifications:
            raise CommandError(f"「{file.name}」に事務事業のブロック（事務事業名・理由及び経緯・内容・担当）が見つかりませんでした。何も書き込んでいません。")
        if dry_run:
            self._print(result.as_json(), format)
            return
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"利用者「{user}」がいません。")

        with transaction.atomic():
            report = ingest(raw=file.read_bytes(), result=result, actor=actor, text=text)
            meeting, created = (None, False)
            if not report.already_ingested:
                meeting, created = council.meeting_for_document(header=result.meeting.as_json() if result.meeting else {}, actor=actor)
                if meeting and report.created:
                    council.meeting_assign(meeting=meeting, notifications=report.created, actor=actor, imported=True)
        out = result.as_json() | {
            "already_ingested": report.already_ingested,
            "created": [n.number for n in report.created],
            "skipped": report.skipped,
            "meeting_record": (meeting.title + ("（新規作成）" if created else "（既存）")) if meeting else None,
            "unknown_units": report.unknown_units,
            "unknown_items": report.unknown_items,
            "unknown_programs": report.unknown_programs,
        }
        self._print(out, format)

    def _print(self, out: dict, format: str) -> None:
        if format == "json":
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        if out.get("already_ingested"):
            self.stdout.write(f"「{out['source']}」は取込済みです。何も追加していません。")
            return
        meeting = out.get("meeting") or {}
        self.stdout.write(f"{out['source']}: {meeting.get('title', '（審議会の記載なし）')} {meeting.get('date', '')}")
        kinds = {"new": "新規", "change": "変更", "abolish": "廃止"}
        for n in out["notifications"]:
            dept = " ".join(v for v in n["department"].values() if v)
            self.stdout.write(f"  [{kinds[n['kind']]}] {n['program']}（{dept}） 項目{len(n['items'])}・目的外利用{len(n['reuse_sources'])}・提供{len(n['provided_to'])}・委託{len(n['contractors'])}")
            for w in n["warnings"]:
                self.stdout.write(f"      注意: {w}")
        if "created" in out:
            self.stdout.write(f"取込: {len(out['created'])}件（確認待ち） 既に取込済みで省略: {len(out['skipped'])}件 審議会: {out['meeting_record'] or 'なし'}")
            for label, key in (("組織にない担当", "unknown_units"), ("語彙にない項目名", "unknown_items"), ("登録簿にない事務事業", "unknown_programs")):
                if out[key]:
                    self.stdout.write(f"  {label}: " + "、".join(out[key]))
            self.stdout.write("画面の「届出」→「取込確認」で確認し、受理してください。")
