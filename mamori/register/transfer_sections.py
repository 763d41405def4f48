"""Export/import sections of the register: vocabulary, programs with every version, 届出."""
import datetime

from mamori.core.transfer import Section, dt, parse_dt, record_label, sorted_json
from mamori.register.models import (
    IngestSource,
    Item,
    ItemCategory,
    Notification,
    NotificationEvent,
    NotificationEventKind,
    NotificationKind,
    NotificationStatus,
    Program,
    name_key,
)
from mamori.register.serialize import canonical, validate_version_dict, versions_as_dicts
from mamori.register.services import write_version
from mamori.register.vocabulary import Vocabulary


class VocabularySection(Section):
    file = "vocabulary.json"
    export_shape = {}

    def export(self):
        return {
            "categories": [{"name": c.name, "order": c.order} for c in ItemCategory.objects.order_by("order", "name")],
            "items": [
                {"name": i.name, "category": i.category.name if i.category else None, "sensitive": i.sensitive, "my_number": i.my_number,
                 "alias_of": i.alias_of.name if i.alias_of else None, "reviewed": i.reviewed, "note": i.note, "order": i.order}
                for i in Item.objects.select_related("category", "alias_of").order_by("name")
            ],
        }

    def is_empty(self):
        return not Item.objects.exists() and not ItemCategory.objects.exists()

    def check(self, ctx):
        data = ctx.data[self.file]
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            ctx.problem(self.file, "", "items", "categories と items を持つオブジェクトで指定してください。")
            return
        categories = {c.get("name") for c in data.get("categories", []) if isinstance(c, dict)}
        keys: dict[str, str] = {}
        aliases = {}
        for i, rec in enumerate(data["items"], start=1):
            name = rec.get("name") if isinstance(rec, dict) else None
            where = record_label(i, name)
            if not name:
                ctx.problem(self.file, where, "name", "項目名を指定してください。")
                continue
            key = name_key(name)
            if key in keys:
                ctx.problem(self.file, where, "name", f"「{keys[key]}」と同じ項目名です（全角・半角の違いは同一視します）。")
            keys[key] = name
            if rec.get("category") is not None and rec["category"] not in categories:
                ctx.problem(self.file, where, "category", f"分類「{rec['category']}」が categories にありません。")
            if rec.get("alias_of"):
                aliases[name] = rec["alias_of"]
        names = {v for v in keys.values()}
        for name, target in aliases.items():
            if target not in names:
                ctx.problem(self.file, f"「{name}」", "alias_of", f"同義語の正式名「{target}」が items にありません。")
            elif target in aliases:
                ctx.problem(self.file, f"「{name}」", "alias_of", f"「{target}」自身が同義語です。正式名を指定してください。")
        ctx.objects["item_keys"] = set(keys)

    def write(self, ctx):
        data = ctx.data[self.file]
        cats = {c["name"]: ItemCategory.objects.create(name=c["name"], order=c.get("order", 0)) for c in data.get("categories", [])}
        items = {}
        for rec in data["items"]:
            items[rec["name"]] = Item.objects.create(
                name=rec["name"], category=cats.get(rec.get("category")), sensitive=bool(rec.get("sensitive")),
                my_number=bool(rec.get("my_number")), reviewed=rec.get("reviewed", True), note=rec.get("note", ""), order=rec.get("order", 0),
            )
        for rec in data["items"]:
            if rec.get("alias_of"):
                Item.objects.filter(pk=items[rec["name"]].pk).update(alias_of=items[rec["alias_of"]])
        return len(items)


VERSION_META = ("number", "effective_from", "created_at", "created_by")


class ProgramsSection(Section):
    file = "programs.json"

    CHUNK = 500  # programs per round of queries: bounded memory and IN-lists

    def export(self):
        out = []
        programs = list(Program.objects.select_related("current").order_by("code"))
        for start in range(0, len(programs), self.CHUNK):
            chunk = programs[start:start + self.CHUNK]
            by_program: dict[int, list] = {}
            for version, data in versions_as_dicts([p.pk for p in chunk]).values():
                by_program.setdefault(version.program_id, []).append(
                    {"number": version.number, "effective_from": version.effective_from.isoformat(), "created_at": dt(version.created_at),
                     "created_by": version.created_by.username if version.created_by else None, **data}
                )
            for p in chunk:
                out.append({
                    "code": p.code,
                    "created_at": dt(p.created_at),
                    "current": p.current.number if p.current_id else None,
                    "versions": sorted(by_program.get(p.pk, []), key=lambda v: v["number"]),
                })
        return out

    def is_empty(self):
        return not Program.objects.exists()

    def check(self, ctx):
        records = ctx.data[self.file]
        codes = {}
        for i, rec in enumerate(records, start=1):
            code = rec.get("code") if isinstance(rec, dict) else None
            if not code:
                ctx.problem(self.file, record_label(i), "code", "管理番号を指定してください。")
            elif code in codes:
                ctx.problem(self.file, record_label(i, code), "code", "管理番号が重複しています。")
            codes[code] = True
        units = {code: True for code in ctx.objects.get("unit_codes", set())}
        users = {u.get("username") for u in ctx.data.get("users.json", []) if isinstance(u, dict)}
        item_keys = ctx.objects.get("item_keys", set())
        for i, rec in enumerate(records, start=1):
            if not isinstance(rec, dict):
                continue
            where = record_label(i, rec.get("code"))
            numbers = []
            for j, version in enumerate(rec.get("versions") or [], start=1):
                prefix = f"versions[{j}]."
                for problem_field, message in validate_version_dict(version, units=units, programs=codes):
                    ctx.problem(self.file, where, prefix + problem_field, message)
                if not isinstance(version, dict):
                    continue
                numbers.append(version.get("number"))
                try:
                    datetime.date.fromisoformat(version.get("effective_from") or "")
                except ValueError:
                    ctx.problem(self.file, where, prefix + "effective_from", "適用年月日を YYYY-MM-DD で指定してください。")
                try:
                    if parse_dt(version.get("created_at")) is None:
                        raise ValueError("作成日時を指定してください。")
                except ValueError as exc:
                    ctx.problem(self.file, where, prefix + "created_at", str(exc))
                if version.get("created_by") and version["created_by"] not in users:
                    ctx.problem(self.file, where, prefix + "created_by", f"利用者「{version['created_by']}」が users.json にありません。")
                names = [n for g in version.get("groups") or [] if isinstance(g, dict) for n in g.get("items") or []]
                names += [n for f in version.get("flows") or [] if isinstance(f, dict) for n in f.get("items") or []]
                for name in names:
                    if name_key(name) not in item_keys:
                        ctx.problem(self.file, where, prefix + "items", f"項目名「{name}」が vocabulary.json にありません。")
            if numbers != list(range(1, len(numbers) + 1)):
                ctx.problem(self.file, where, "versions", "版は第1版から順に欠番なく並べてください。")
            if rec.get("current") not in (None, *numbers):
                ctx.problem(self.file, where, "current", f"現行版 {rec.get('current')} が versions にありません。")
        ctx.objects["program_codes"] = codes

    def write(self, ctx):
        records = ctx.data[self.file]
        programs = {}
        for rec in records:
            program = Program.objects.create(code=rec["code"])
            if rec.get("created_at"):
                Program.objects.filter(pk=program.pk).update(created_at=parse_dt(rec["created_at"]))
            programs[rec["code"]] = program
        vocabulary = Vocabulary()
        users = ctx.objects.get("users", {})
        versions = {}
        for rec in records:
            program = programs[rec["code"]]
            for version in rec.get("versions") or []:
                v = write_version(
                    program=program, number=version["number"], data=version,
                    effective_from=datetime.date.fromisoformat(version["effective_from"]),
                    actor=users.get(version.get("created_by")), created_at=parse_dt(version["created_at"]),
                    vocabulary=vocabulary, units=ctx.objects["units"], programs=programs,
                )
                versions[(rec["code"], v.number)] = v
            if rec.get("current"):
                program.current = versions[(rec["code"], rec["current"])]
                program.save(update_fields=["current"])
        ctx.objects["programs"] = programs
        ctx.objects["versions"] = versions
        return len(programs)


class IngestSourcesSection(Section):
    """Documents read by `mamori ingest`, so imported 届出 keep the text they came from."""

    file = "ingest_sources.json"

    def export(self):
        return [
            {"sha256": s.sha256, "file_name": s.file_name, "size": s.size, "text": s.text, "meeting": sorted_json(s.meeting),
             "created_at": dt(s.created_at), "created_by": s.created_by.username if s.created_by else None}
            for s in IngestSource.objects.select_related("created_by").order_by("created_at", "sha256")
        ]

    def is_empty(self):
        return not IngestSource.objects.exists()

    def check(self, ctx):
        seen = set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict) or not rec.get("sha256") or rec["sha256"] in seen:
                ctx.problem(self.file, record_label(i), "sha256", "文書のハッシュがないか重複しています。")
                continue
            seen.add(rec["sha256"])
            try:
                parse_dt(rec.get("created_at"))
            except (TypeError, ValueError):
                ctx.problem(self.file, record_label(i, rec.get("file_name")), "created_at", "日時を ISO 8601（タイムゾーン付き）で指定してください。")
        ctx.objects["source_hashes"] = seen

    def write(self, ctx):
        users = ctx.objects.get("users", {})
        sources = {}
        for rec in ctx.data[self.file]:
            source = IngestSource.objects.create(
                sha256=rec["sha256"], file_name=rec.get("file_name", ""), size=rec.get("size", 0), text=rec.get("text", ""),
                meeting=rec.get("meeting"), created_by=users.get(rec.get("created_by")),
            )
            IngestSource.objects.filter(pk=source.pk).update(created_at=parse_dt(rec["created_at"]))
            sources[source.sha256] = source
        ctx.objects["sources"] = sources
        return len(sources)


NOTIFICATION_TIMES = ("created_at", "updated_at", "submitted_at", "approved_at", "accepted_at")
NOTIFICATION_USERS = ("created_by", "approved_by", "accepted_by")


class NotificationsSection(Section):
    file = "notifications.json"
    models = (NotificationEvent,)

    def export(self):
        qs = Notification.objects.select_related(
            "program", "base_version", "result_version", "unit", "created_by", "approved_by", "accepted_by"
        ).prefetch_related("events__actor").select_related("source").order_by("number")
        return [
            {
                "number": n.number, "kind": n.kind, "status": n.status,
                "program": n.program.code if n.program else None,
                "base_version": n.base_version.number if n.base_version else None,
                "result_version": n.result_version.number if n.result_version else None,
                "unit": n.unit.code if n.unit_id else None, "reason": n.reason, "content": n.content, "proposed": canonical(n.proposed),
                "effective_date": n.effective_date.isoformat(),
                **{f: getattr(n, f).username if getattr(n, f) else None for f in NOTIFICATION_USERS},
                **{f: dt(getattr(n, f)) for f in NOTIFICATION_TIMES},
                "events": [{"at": dt(e.at), "actor": e.actor.username if e.actor else None, "kind": e.kind, "comment": e.comment} for e in n.events.all()],
                "source": n.source.sha256 if n.source_id else None, "source_block": n.source_block, "extracted": sorted_json(n.extracted),
                "import_key": n.import_key,
            }
            for n in qs
        ]

    def is_empty(self):
        return not Notification.objects.exists()

    def check(self, ctx):
        programs = ctx.data.get("programs.json", [])
        versions = {(p.get("code"), v.get("number")) for p in programs if isinstance(p, dict) for v in p.get("versions") or [] if isinstance(v, dict)}
        users = {u.get("username") for u in ctx.data.get("users.json", []) if isinstance(u, dict)}
        seen = set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict):
                ctx.problem(self.file, record_label(i), "", "オブジェクトで指定してください。")
                continue
            where = record_label(i, rec.get("number"))
            if not rec.get("number") or rec["number"] in seen:
                ctx.problem(self.file, where, "number", "届出番号がないか重複しています。")
            seen.add(rec.get("number"))
            if rec.get("kind") not in NotificationKind.values:
                ctx.problem(self.file, where, "kind", f"種類は {', '.join(NotificationKind.values)} のいずれかです。")
            if rec.get("status") not in NotificationStatus.values:
                ctx.problem(self.file, where, "status", f"状態は {', '.join(NotificationStatus.values)} のいずれかです。")
            if rec.get("unit") is None and rec.get("status") != NotificationStatus.IMPORTED:
                ctx.problem(self.file, where, "unit", "届出課を指定してください（空にできるのは取り込んだ届出だけです）。")
            elif rec.get("unit") is not None and rec.get("unit") not in ctx.objects.get("unit_codes", set()):
                ctx.problem(self.file, where, "unit", f"届出課「{rec.get('unit')}」が units.json にありません。")
            if rec.get("program") is not None and rec["program"] not in ctx.objects.get("program_codes", {}):
                ctx.problem(self.file, where, "program", f"事務事業「{rec['program']}」が programs.json にありません。")
            for key in ("base_version", "result_version"):
                if rec.get(key) is not None and (rec.get("program"), rec[key]) not in versions:
                    ctx.problem(self.file, where, key, f"第{rec[key]}版が programs.json の {rec.get('program')} にありません。")
            if rec.get("status") == NotificationStatus.ACCEPTED and rec.get("result_version") is None:
                ctx.problem(self.file, where, "result_version", "受理された届出には受理後の版が必要です。")
            for key in NOTIFICATION_USERS:
                if rec.get(key) is not None and rec[key] not in users:
                    ctx.problem(self.file, where, key, f"利用者「{rec[key]}」が users.json にありません。")
            if not rec.get("created_by") and rec.get("status") != NotificationStatus.IMPORTED and not rec.get("source"):
                ctx.problem(self.file, where, "created_by", "作成者を指定してください。")
            if rec.get("source") and rec["source"] not in ctx.objects.get("source_hashes", set()):
                ctx.problem(self.file, where, "source", "取込元の文書が ingest_sources.json にありません。")
            for key in NOTIFICATION_TIMES:
                try:
                    parse_dt(rec.get(key))
                except (TypeError, ValueError):
                    ctx.problem(self.file, where, key, "日時を ISO 8601（タイムゾーン付き）で指定してください。")
            try:
                datetime.date.fromisoformat(rec.get("effective_date") or "")
            except ValueError:
                ctx.problem(self.file, where, "effective_date", "適用年月日を YYYY-MM-DD で指定してください。")
            for j, event in enumerate(rec.get("events") or [], start=1):
                if not isinstance(event, dict) or event.get("kind") not in NotificationEventKind.values:
                    ctx.problem(self.file, where, f"events[{j}].kind", f"経過の種類は {', '.join(NotificationEventKind.values)} のいずれかです。")

    def write(self, ctx):
        users = ctx.objects.get("users", {})
        versions = ctx.objects.get("versions", {})
        events = []
        for rec in ctx.data[self.file]:
            n = Notification.objects.create(
                number=rec["number"], kind=rec["kind"], status=rec["status"],
                program=ctx.objects["programs"].get(rec.get("program")),
                base_version=versions.get((rec.get("program"), rec.get("base_version"))),
                result_version=versions.get((rec.get("program"), rec.get("result_version"))),
                unit=ctx.objects["units"].get(rec.get("unit")), reason=rec.get("reason", ""), content=rec.get("content", ""),
                proposed=rec.get("proposed") or {}, effective_date=datetime.date.fromisoformat(rec["effective_date"]),
                **{f: users.get(rec.get(f)) for f in NOTIFICATION_USERS},
                **{f: parse_dt(rec.get(f)) for f in NOTIFICATION_TIMES},
                source=ctx.objects.get("sources", {}).get(rec.get("source")), source_block=rec.get("source_block", ""),
                extracted=rec.get("extracted") or {}, import_key=rec.get("import_key", ""),
            )
            for event in rec.get("events") or []:
                events.append(NotificationEvent(notification=n, at=parse_dt(event["at"]), actor=users.get(event.get("actor")),
                                                kind=event["kind"], comment=event.get("comment", "")))
        NotificationEvent.objects.bulk_create(events)
        return len(ctx.data[self.file])
