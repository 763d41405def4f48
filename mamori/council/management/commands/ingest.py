import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from mamori.core.models import User
from mamori.council.ingest import ingest_file
from mamori.register.importers.limits import IngestError


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
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"利用者「{user}」がいません。")
        try:
            out = ingest_file(path=file, actor=actor, dry_run=dry_run)
        except IngestError as exc:
            raise CommandError(f"{exc}（何も書き込んでいません）") from exc
        except PermissionDenied as exc:
            raise CommandError(f"{exc}（何も書き込んでいません）") from exc
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
        for part in out.get("parts", []):
            self.stdout.write(f"  {part['label']}: {part['message']}")
        if "created" in out:
            self.stdout.write(f"取込: {len(out['created'])}件（確認待ち） 既に取込済みで省略: {len(out['skipped'])}件 審議会: {out['meeting_record'] or 'なし'}")
            for label, key in (("組織にない担当", "unknown_units"), ("語彙にない項目名", "unknown_items"), ("登録簿にない事務事業", "unknown_programs")):
                if out[key]:
                    self.stdout.write(f"  {label}: " + "、".join(out[key]))
            if out.get("figures"):
                self.stdout.write(f"過年度の数値: {out['figures']}件（確認待ち）。画面の「審議会」→「取り込んだ資料」で確認してください。")
            if out.get("handbook_rows"):
                self.stdout.write(f"手引の改訂: {out['handbook_rows']}行（下書き）。画面の「手引」で改訂を確認してください。")
            self.stdout.write("画面の「届出」→「取込確認」で確認し、受理してください。")
