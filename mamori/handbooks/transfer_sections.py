"""Export/import of the handbooks: each with its editions (pages and lines; the uploaded file in base64 with its
SHA-256) and its revisions with their rows (the editions named by their place in the handbook's list)."""
import base64
import binascii
import hashlib

from mamori.core.transfer import Section, parse_date, record_label
from mamori.handbooks.models import Edition, Handbook, Revision, RevisionRow, RevisionStatus


def _d(value):
    return value.isoformat() if value else None


def _pages(pages: list) -> list:
    """An edition's pages with their keys in one order: PostgreSQL's jsonb returns an object's keys reordered, and
    the export must read the same from every database (data-format.md: number, then lines)."""
    return [{"number": page.get("number"), "lines": page.get("lines", [])} for page in pages or []]


class HandbooksSection(Section):
    file = "handbooks.json"
    models = (RevisionRow,)  # written with bulk_create

    def export(self):
        out = []
        for h in Handbook.objects.prefetch_related("editions", "revisions__rows").order_by("order", "name"):
            editions = list(h.editions.order_by("issued_on", "pk"))
            index = {e.pk: n for n, e in enumerate(editions)}
            out.append({
                "name": h.name, "order": h.order,
                "editions": [{"label": e.label, "issued_on": _d(e.issued_on), "pages": _pages(e.pages), "source_name": e.source_name,
                              "source_sha256": e.source_sha256,
                              "source_file": base64.b64encode(bytes(e.source_file)).decode("ascii") if e.source_file else None} for e in editions],
                "revisions": [{"from_edition": index.get(r.from_edition_id), "to_edition": index.get(r.to_edition_id), "reason": r.reason,
                               "background": r.background, "promulgated_on": _d(r.promulgated_on), "enforced_on": _d(r.enforced_on),
                               "revised_on": _d(r.revised_on), "status": r.status, "source": r.source,
                               "rows": [{"location": x.location, "before": x.before, "after": x.after} for x in r.rows.all()]}
                              for r in sorted(h.revisions.all(), key=lambda r: (r.revised_on, r.pk))],
            })
        return out

    def is_empty(self):
        return not Handbook.objects.exists()

    def check(self, ctx):
        for i, rec in enumerate(ctx.data[self.file], start=1):
            if not isinstance(rec, dict) or not rec.get("name"):
                ctx.problem(self.file, record_label(i), "name", "手引の名称を指定してください。")
                continue
            where = record_label(i, rec["name"])
            editions = rec.get("editions") or []
            for n, e in enumerate(editions):
                try:
                    parse_date(e["issued_on"])
                    if e.get("source_file"):
                        raw = base64.b64decode(e["source_file"], validate=True)
                        if hashlib.sha256(raw).hexdigest() != e.get("source_sha256"):
                            ctx.problem(self.file, where, f"editions[{n}].source_file", "元のファイルが SHA-256 と合いません。")
                except (KeyError, TypeError, ValueError, binascii.Error):
                    ctx.problem(self.file, where, f"editions[{n}]", "発行日（YYYY-MM-DD）と元のファイル（base64）を確かめてください。")
            for n, r in enumerate(rec.get("revisions") or []):
                for key in ("from_edition", "to_edition"):
                    if r.get(key) is not None and not (isinstance(r[key], int) and 0 <= r[key] < len(editions)):
                        ctx.problem(self.file, where, f"revisions[{n}].{key}", "版の番号が editions にありません。")
                if r.get("status") not in RevisionStatus.values:
                    ctx.problem(self.file, where, f"revisions[{n}].status", f"状態は {'・'.join(RevisionStatus.values)} のどれかです。")
                try:
                    parse_date(r["revised_on"])
                    parse_date(r.get("promulgated_on"))
                    parse_date(r.get("enforced_on"))
                except (KeyError, TypeError, ValueError):
                    ctx.problem(self.file, where, f"revisions[{n}]", "日付を YYYY-MM-DD で指定してください。")

    def write(self, ctx):
        for rec in ctx.data[self.file]:
            h = Handbook.objects.create(name=rec["name"], order=rec.get("order", 0))
            editions = [Edition.objects.create(handbook=h, label=e["label"], issued_on=parse_date(e["issued_on"]), pages=e.get("pages") or [],
                                               source_name=e.get("source_name", ""), source_sha256=e.get("source_sha256", ""),
                                               source_file=base64.b64decode(e["source_file"]) if e.get("source_file") else None)
                        for e in rec.get("editions") or []]
            for r in rec.get("revisions") or []:
                revision = Revision.objects.create(
                    handbook=h, from_edition=editions[r["from_edition"]] if r.get("from_edition") is not None else None,
                    to_edition=editions[r["to_edition"]] if r.get("to_edition") is not None else None, reason=r["reason"],
                    background=r.get("background", ""), promulgated_on=parse_date(r.get("promulgated_on")), enforced_on=parse_date(r.get("enforced_on")),
                    revised_on=parse_date(r["revised_on"]), status=r["status"], source=r.get("source", ""))
                RevisionRow.objects.bulk_create(RevisionRow(revision=revision, order=n, location=x["location"], before=x.get("before", ""),
                                                            after=x.get("after", "")) for n, x in enumerate(r.get("rows") or [], start=1))
        return len(ctx.data[self.file])
