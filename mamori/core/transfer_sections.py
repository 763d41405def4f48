"""Export/import sections of core: municipal settings, 実施機関, organisation, users, closure days."""
import datetime

from mamori.core.models import ClosureDay, MunicipalSettings, Organ, OrgUnit, Role, UnitKind, User
from mamori.core.services import ALLOWED_PARENTS
from mamori.core.transfer import ImportContext, Section, record_label

SETTINGS_FIELDS = ("name", "head_title", "council_name", "personal_request_days", "public_request_days",
                   "public_extension_days", "public_ordinance", "decision_roll_forward", "rate_formula", "file_register_threshold", "ordinance_sensitive_items", "disclosure_office",
                   "file_register_prompt_days", "file_register_deletion_days", "personal_request_fee", "copy_fee_monochrome", "copy_fee_colour",
                   "copy_fee_per_side", "double_sided", "inspection_fee", "online_delivery_days")


class SettingsSection(Section):
    file = "settings.json"
    export_shape = {}

    def export(self):
        s = MunicipalSettings.current()
        return {f: getattr(s, f) for f in SETTINGS_FIELDS}

    def check(self, ctx: ImportContext):
        data = ctx.data[self.file]
        if not isinstance(data, dict):
            ctx.problem(self.file, "", "", "オブジェクトで指定してください。")
            return
        unknown = set(data) - set(SETTINGS_FIELDS)
        if unknown:
            ctx.problem(self.file, "", ", ".join(sorted(unknown)), "知らない設定項目です。")
        threshold = data.get("file_register_threshold", 1000)
        if not isinstance(threshold, int) or threshold < 1:
            ctx.problem(self.file, "", "file_register_threshold", "1以上の整数で指定してください。")
        for key in ("file_register_prompt_days", "file_register_deletion_days"):
            days = data.get(key, 1)
            if not isinstance(days, int) or isinstance(days, bool) or days < 0:
                ctx.problem(self.file, "", key, "0以上の整数（開庁日数）で指定してください。")
        for key in ("personal_request_fee", "copy_fee_monochrome", "copy_fee_colour", "inspection_fee", "online_delivery_days"):
            yen = data.get(key, 0)
            if not isinstance(yen, int) or isinstance(yen, bool) or yen < 0:
                ctx.problem(self.file, "", key, "0以上の整数（円・日数）で指定してください。")
        for key in ("copy_fee_per_side", "double_sided"):
            if not isinstance(data.get(key, True), bool):
                ctx.problem(self.file, "", key, "true か false で指定してください。")

    def write(self, ctx):
        s = MunicipalSettings.current()
        for key, value in ctx.data[self.file].items():
            setattr(s, key, value)
        s.full_clean()
        s.save()
        return 1


class OrgansSection(Section):
    file = "organs.json"

    def export(self):
        return [{"code": o.code, "name": o.name, "order": o.order, "removed_on": o.removed_on.isoformat() if o.removed_on else None}
                for o in Organ.objects.order_by("order", "code")]

    def is_empty(self):
        return not Organ.objects.exists()

    def check(self, ctx):
        seen = set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            code = rec.get("code") if isinstance(rec, dict) else None
            if not code or not isinstance(code, str):
                ctx.problem(self.file, record_label(i), "code", "実施機関のコードを指定してください。")
            elif code in seen:
                ctx.problem(self.file, record_label(i, code), "code", "コードが重複しています。")
            if isinstance(rec, dict) and not rec.get("name"):
                ctx.problem(self.file, record_label(i, code), "name", "実施機関の名称を指定してください。")
            seen.add(code)
        ctx.objects["organ_codes"] = seen

    def write(self, ctx):
        organs = {}
        for rec in ctx.data[self.file]:
            removed = rec.get("removed_on")
            organs[rec["code"]] = Organ.objects.create(code=rec["code"], name=rec["name"], order=rec.get("order", 0),
                                                       removed_on=datetime.date.fromisoformat(removed) if removed else None)
        ctx.objects["organs"] = organs
        return len(organs)


def _walk(units: list[OrgUnit]) -> list[OrgUnit]:
    """Depth-first by (order, code): a stable order that does not depend on database ids."""
    children: dict[int | None, list[OrgUnit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    out: list[OrgUnit] = []

    def visit(parent_id):
        for u in sorted(children.get(parent_id, []), key=lambda x: (x.organ.order, x.organ.code, x.order, x.code)):
            out.append(u)
            visit(u.pk)

    visit(None)
    return out


class UnitsSection(Section):
    file = "units.json"

    def export(self):
        units = list(OrgUnit.objects.select_related("organ", "parent"))
        return [
            {"code": u.code, "organ": u.organ.code, "kind": u.kind, "name": u.name, "parent": u.parent.code if u.parent else None,
             "order": u.order, "active": u.active}
            for u in _walk(units)
        ]

    def is_empty(self):
        return not OrgUnit.objects.exists()

    def check(self, ctx):
        seen: dict[str, dict] = {}
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict):
                ctx.problem(self.file, record_label(i), "", "オブジェクトで指定してください。")
                continue
            code = rec.get("code")
            where = record_label(i, code)
            if not code:
                ctx.problem(self.file, where, "code", "組織コードを指定してください。")
            elif code in seen:
                ctx.problem(self.file, where, "code", "組織コードが重複しています。")
            if rec.get("organ") not in ctx.objects.get("organ_codes", set()):
                ctx.problem(self.file, where, "organ", f"実施機関「{rec.get('organ')}」が organs.json にありません。")
            if rec.get("kind") not in UnitKind.values:
                ctx.problem(self.file, where, "kind", f"種別は {', '.join(UnitKind.values)} のいずれかです。")
            elif rec.get("parent") is not None:
                parent = seen.get(rec["parent"])
                if parent is None:
                    ctx.problem(self.file, where, "parent", f"上位組織「{rec['parent']}」はこの行より前にありません（上位組織を先に書きます）。")
                elif parent.get("kind") not in ALLOWED_PARENTS[rec["kind"]]:
                    ctx.problem(self.file, where, "parent", "この種別の組織はその上位組織の下には置けません。")
            elif None not in ALLOWED_PARENTS[rec["kind"]]:
                ctx.problem(self.file, where, "parent", "この種別の組織には上位組織が必要です。")
            if not rec.get("name"):
                ctx.problem(self.file, where, "name", "名称を指定してください。")
            if code:
                seen[code] = rec
        ctx.objects["unit_codes"] = set(seen)

    def write(self, ctx):
        units: dict[str, OrgUnit] = {}
        for rec in ctx.data[self.file]:
            parent = units.get(rec["parent"]) if rec.get("parent") else None
            unit = OrgUnit.objects.create(
                organ=ctx.objects["organs"][rec["organ"]], kind=rec["kind"], code=rec["code"], name=rec["name"],
                parent=parent, order=rec.get("order", 0), active=rec.get("active", True),
            )
            unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
            unit.save(update_fields=["path"])
            units[unit.code] = unit
        ctx.objects["units"] = units
        return len(units)


class UsersSection(Section):
    """Users without passwords: after an import, set them with `mamori changepassword USER`."""

    file = "users.json"

    def export(self):
        return [
            {"username": u.username, "display_name": u.display_name, "email": u.email, "role": u.role,
             "unit": u.unit.code if u.unit else None, "is_active": u.is_active}
            for u in User.objects.select_related("unit").order_by("username")
        ]

    def check(self, ctx):
        existing = set(User.objects.values_list("username", flat=True))
        seen = set()
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict):
                ctx.problem(self.file, record_label(i), "", "オブジェクトで指定してください。")
                continue
            name = rec.get("username")
            where = record_label(i, name)
            if not name:
                ctx.problem(self.file, where, "username", "ユーザー名を指定してください。")
            elif name in seen or name in existing:
                ctx.problem(self.file, where, "username", "ユーザー名が重複しています（取込み先に同じ名前の利用者がいます）。")
            seen.add(name)
            if rec.get("role") not in Role.values:
                ctx.problem(self.file, where, "role", f"役割は {', '.join(Role.values)} のいずれかです。")
            if rec.get("unit") is not None and rec["unit"] not in ctx.objects.get("unit_codes", set()):
                ctx.problem(self.file, where, "unit", f"所属「{rec['unit']}」が units.json にありません。")

    def write(self, ctx):
        users = {}
        for rec in ctx.data[self.file]:
            user = User(
                username=rec["username"], display_name=rec.get("display_name", ""), email=rec.get("email", ""), role=rec["role"],
                unit=ctx.objects["units"].get(rec["unit"]) if rec.get("unit") else None, is_active=rec.get("is_active", True),
            )
            user.set_unusable_password()
            # the operator gives the first password (`mamori changepassword`, its validators run): the person replaces it
            user.must_change_password = True
            user.save()
            users[user.username] = user
        ctx.objects["users"] = users
        return len(users)


class ClosureDaysSection(Section):
    file = "closure_days.json"
    models = (ClosureDay,)

    def export(self):
        return [{"date": d.date.isoformat(), "name": d.name} for d in ClosureDay.objects.order_by("date")]

    def is_empty(self):
        return not ClosureDay.objects.exists()

    def check(self, ctx):
        for i, rec in enumerate(ctx.data[self.file], start=1):
            try:
                datetime.date.fromisoformat(rec["date"])
            except (KeyError, TypeError, ValueError):
                ctx.problem(self.file, record_label(i), "date", "日付を YYYY-MM-DD で指定してください。")

    def write(self, ctx):
        ClosureDay.objects.bulk_create([ClosureDay(date=datetime.date.fromisoformat(r["date"]), name=r.get("name", "")) for r in ctx.data[self.file]])
        return len(ctx.data[self.file])
