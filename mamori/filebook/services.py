"""Every write to the 個人情報ファイル簿: files, the office's confirmation of the rule, drafted and published entries.

Each function checks the actor's permission, validates, writes, and records the audit event in the
same transaction. ``sync`` is the heart: after anything that can change a file's entry (an accepted
届出, an edit of the file, a confirmation), it compares the entry as the register shows it now with what
was last published and drafts the act the law asks for (rules.revision_due), at once.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mamori.core import audit, concurrency
from mamori.core.calendar import ClosureCalendar
from mamori.core.hooks import VersionAccepted
from mamori.core.models import AuditAction, ClosureDay, MunicipalSettings
from mamori.core.permissions import can_keep_files, require
from mamori.filebook import entry, rules
from mamori.filebook.models import Assessment, FileProgram, FileRevision, PersonalFile, RevisionKind, RevisionStatus
from mamori.register.models import Notification, Program

KEEPER_ONLY = "個人情報ファイル簿を編集・公表できるのは個人情報保護担当です。"
FILE_FIELDS = ("name", "scope_text", "collection_text", "note")


def calendar() -> ClosureCalendar:
    return ClosureCalendar(extra={d.date: d.name for d in ClosureDay.objects.all()})


def next_file_code() -> str:
    last = PersonalFile.objects.aggregate(m=Max("code"))["m"]
    seq = int(last[1:]) + 1 if last and last[1:].isdigit() else 1
    return f"F{seq:05d}"


def _snapshot(file: PersonalFile) -> dict:
    return audit.snapshot(file) | file.version_extra()


def last_published(file: PersonalFile) -> FileRevision | None:
    return file.revisions.filter(status=RevisionStatus.PUBLISHED).order_by("-number").first()


def pending(file: PersonalFile) -> FileRevision | None:
    return file.revisions.filter(status=RevisionStatus.DRAFTED).first()


def _record_assessment(file: PersonalFile, a: rules.Assessment, actor, cause: str) -> None:
    if (file.assessment, file.assessment_ground, file.assessment_reason) == (a.status, a.ground, a.reason):
        return
    before = _snapshot(file)
    file.assessment, file.assessment_ground, file.assessment_reason = a.status, a.ground, a.reason
    file.save(update_fields=["assessment", "assessment_ground", "assessment_reason"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=file, before=before, after=_snapshot(file),
                 summary=f"判定：{Assessment(a.status).label}（{cause}）")


def _close(revision: FileRevision, actor, why: str) -> None:
    before = audit.snapshot(revision)
    revision.status, revision.closed_at = RevisionStatus.SUPERSEDED, timezone.now()
    revision.save(update_fields=["status", "closed_at"])
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=revision, root=revision.file, before=before, after=audit.snapshot(revision),
                 summary=f"公表待ちの記載（{revision.get_kind_display()}）を取消：{why}"[:255])


def sync(file: PersonalFile, *, actor, cause: str, notification: Notification | None = None, today: datetime.date | None = None) -> FileRevision | None:
    """Draft what the entry needs now (令第20条第1項・第3項 直ちに, 第4項 遅滞なく); runs inside the caller's transaction.

    One drafted revision at most per file: a later cause of the same act keeps the earlier (and earlier
    due) draft; a cause that makes another act due replaces it; one that makes none due withdraws it."""
    computed = entry.for_file(file)
    a = computed.assessment
    _record_assessment(file, a, actor, cause)
    last = last_published(file)
    target = rules.revision_due(a.status, last.kind if last else None, last is None or last.content != computed.content)
    waiting = pending(file)
    if waiting is not None and waiting.kind == target:
        return waiting
    if waiting is not None:
        _close(waiting, actor, f"{cause}により不要になったため" if target is None else f"{cause}により{RevisionKind(target).label}が必要になったため")
    if target is None:
        return None
    s = MunicipalSettings.current()
    caused_on = today or timezone.localdate()
    revision = FileRevision(
        file=file, kind=target, cause=cause[:255], notification=notification,
        reason=rules.deletion_reason(a) if target == rules.DELETE else "",
        drafted_at=timezone.now(), drafted_by=actor if getattr(actor, "pk", None) else None,
        due_on=rules.publication_due(target, caused_on, calendar(), prompt_days=s.file_register_prompt_days,
                                     deletion_days=s.file_register_deletion_days),
    )
    revision.full_clean()
    revision.save()
    audit.record(actor=actor, action=AuditAction.CREATE, obj=revision, root=file, after=audit.snapshot(revision),
                 summary=f"ファイル簿の記載（{revision.get_kind_display()}）を起案：{cause}"[:255])
    return revision


def _check_programs(programs) -> list[Program]:
    programs = list(dict.fromkeys(programs))
    if not programs:
        raise ValidationError({"programs": "このファイルが記録を持つ事務事業を1つ以上選んでください。"})
    missing = [p.code for p in programs if p.current_id is None]
    if missing:
        raise ValidationError({"programs": f"登録内容のない事務事業は選べません（{'、'.join(missing)}）。"})
    return programs


def _link(file: PersonalFile, programs: list[Program]) -> None:
    FileProgram.objects.filter(file=file).delete()
    FileProgram.objects.bulk_create([FileProgram(file=file, program=p, order=i) for i, p in enumerate(programs)])


def _create(*, programs, actor, cause: str, notification=None, today=None, **fields) -> PersonalFile:
    programs = _check_programs(programs)
    file = PersonalFile(code=next_file_code(), created_at=timezone.now(), created_by=actor if getattr(actor, "pk", None) else None,
                        **{k: v for k, v in fields.items() if k in (*FILE_FIELDS, "person_count")})
    file.full_clean()
    file.save()
    _link(file, programs)
    audit.record(actor=actor, action=AuditAction.CREATE, obj=file, after=_snapshot(file), summary=f"個人情報ファイルの登録：{cause}"[:255])
    sync(file, actor=actor, cause=cause, notification=notification, today=today)
    return file


@transaction.atomic
def file_create(*, programs, actor, name: str = "", scope_text: str = "", collection_text: str = "", note: str = "",
                person_count: int | None = None, today: datetime.date | None = None) -> PersonalFile:
    """The office records a file of the register's program(s); its entry is drafted at once if it is to be listed."""
    require(actor is None or can_keep_files(actor), KEEPER_ONLY)
    return _create(programs=programs, actor=actor, cause="個人情報ファイルの登録", today=today, name=name, scope_text=scope_text,
                   collection_text=collection_text, note=note, person_count=person_count)


def _locked(file: PersonalFile) -> PersonalFile:
    return PersonalFile.objects.select_for_update().get(pk=file.pk)


def _subject(file: PersonalFile) -> str:
    return f"個人情報ファイル「{file.code}」"


@transaction.atomic
def file_update(*, file: PersonalFile, actor, programs, base_version: str | None = None, today: datetime.date | None = None,
                **fields) -> PersonalFile:
    """The office corrects what the file itself records (名称, 記録範囲・収集方法の文言, 事務事業, 備考)."""
    require(can_keep_files(actor), KEEPER_ONLY)
    file = _locked(file)
    concurrency.check(file, base_version, subject=_subject(file))
    programs = _check_programs(programs)
    before = _snapshot(file)
    for key in FILE_FIELDS:
        if key in fields:
            setattr(file, key, fields[key] or "")
    file.full_clean()
    file.save()
    _link(file, programs)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=file, before=before, after=_snapshot(file), summary="ファイルの記録の修正")
    sync(file, actor=actor, cause="ファイルの記録の修正", today=today)
    return file


@transaction.atomic
def file_decide(*, file: PersonalFile, actor, exemption: str = "", exemption_note: str = "", person_count: int | None = None,
                base_version: str | None = None, today: datetime.date | None = None) -> PersonalFile:
    """The office confirms whether the file is listed: it names the exemption that applies (if any) and,
    for a file spanning programs, its count; the rule's result on these facts is what it confirms."""
    require(can_keep_files(actor), KEEPER_ONLY)
    file = _locked(file)
    concurrency.check(file, base_version, subject=_subject(file))
    exemption = exemption or ""
    if exemption and exemption not in rules.CLAIMABLE:
        raise ValidationError({"exemption": "適用除外の号を一覧から選んでください（本人の数による除外は自動で判定します）。"})
    if exemption and not (exemption_note or "").strip():
        raise ValidationError({"exemption_note": "適用除外とする理由（どの記録がその号に当たるか）を書いてください。"})
    if person_count is not None and person_count < 0:
        raise ValidationError({"person_count": "本人の数は0以上の整数で入力してください。"})
    before = _snapshot(file)
    file.exemption, file.exemption_note, file.person_count = exemption, (exemption_note or "").strip() if exemption else "", person_count
    a = entry.for_file(file).assessment
    if a.status == Assessment.UNKNOWN:
        raise ValidationError({"person_count": a.reason + " 重複を除いた本人の数を入力するか、適用除外を選んでください。"})
    file.assessment, file.assessment_ground, file.assessment_reason = a.status, a.ground, a.reason
    file.decision, file.decision_ground, file.decided_at, file.decided_by = a.status, a.ground, timezone.now(), actor
    file.full_clean()
    file.save()
    audit.record(actor=actor, action=AuditAction.CONFIRM, obj=file, before=before, after=_snapshot(file),
                 summary=f"判定の確認：{Assessment(a.status).label}" + (f"（{rules.EXEMPTIONS[a.ground][0]}）" if a.ground else ""))
    sync(file, actor=actor, cause="判定の確認", today=today)
    return file


@transaction.atomic
def file_refresh(*, file: PersonalFile, actor, today: datetime.date | None = None) -> FileRevision | None:
    """Read the register again (after a change the register did not announce: the vocabulary, the settings)."""
    require(can_keep_files(actor), KEEPER_ONLY)
    return sync(_locked(file), actor=actor, cause="管理簿の内容による見直し", today=today)


STALE_ENTRY = ("公表しようとした記載は、画面を開いた後に変わりました（管理簿の受理・ファイルの修正など）。"
               "公表していません。画面を更新し、新しい内容を確かめてから公表してください。")


@transaction.atomic
def revision_publish(*, file: PersonalFile, actor, shown: str | None = None, base_version: str | None = None) -> FileRevision:
    """The office has reviewed the drafted entry and publishes it: the register's content now (令第20条第5項).

    ``shown`` is the digest of the entry the page showed (entry.digest): a different entry is not published."""
    require(can_keep_files(actor), KEEPER_ONLY)
    file = _locked(file)
    revision = pending(file)
    if revision is None:
        raise ValidationError("公表待ちの記載はありません。画面を更新してください。")
    concurrency.check(file, base_version, subject=_subject(file))
    computed = entry.for_file(file)
    if shown is not None and shown != computed.digest:
        raise ValidationError(STALE_ENTRY)
    a = computed.assessment
    last = last_published(file)
    target = rules.revision_due(a.status, last.kind if last else None, last is None or last.content != computed.content)
    if target != revision.kind:
        raise ValidationError(f"管理簿の内容が変わったため、この記載（{revision.get_kind_display()}）はそのまま公表できません。"
                              "「管理簿に合わせて見直す」を押してから、もう一度確かめてください。")
    before = audit.snapshot(revision)
    if revision.kind == RevisionKind.DELETE:
        revision.content = last.content
        revision.changes = [f"記載を消除しました（{revision.reason}）。"]
    else:
        revision.content = computed.content
        revision.changes = rules.change_lines(last.content if last and last.kind != RevisionKind.DELETE else None, computed.content)
    revision.status, revision.published_at, revision.published_by = RevisionStatus.PUBLISHED, timezone.now(), actor
    revision.number = (file.revisions.aggregate(m=Max("number"))["m"] or 0) + 1
    revision.full_clean()
    revision.save()
    audit.record(actor=actor, action=AuditAction.PUBLISH, obj=revision, root=file, before=before, after=audit.snapshot(revision),
                 summary=f"ファイル簿の記載（{revision.get_kind_display()}）を公表")
    already = file.decided_at is not None and (file.decision, file.decision_ground) == (a.status, a.ground)
    if a.status != Assessment.UNKNOWN and not already:  # publishing the entry is the office's confirmation of the rule
        before_file = _snapshot(file)
        file.decision, file.decision_ground, file.decided_at, file.decided_by = a.status, a.ground, timezone.now(), actor
        file.save(update_fields=["decision", "decision_ground", "decided_at", "decided_by"])
        audit.record(actor=actor, action=AuditAction.CONFIRM, obj=file, before=before_file, after=_snapshot(file),
                     summary=f"判定の確認（公表による）：{Assessment(a.status).label}")
    return revision


# ---------------------------------------------------------------- the register's acceptances (core.hooks)


def program_version_accepted(event: VersionAccepted) -> None:
    """An accepted 届出 made a new version current: every file of the program drafts what its entry needs,
    at once (令第20条第1項・第3項・第4項). A program the ファイル簿 has no file for gets one, so that the rule's
    assessment (listed, or which exemption) is recorded for the office to confirm. Runs in the acceptance's
    transaction (core.hooks)."""
    n = event.notification
    cause = f"届出{n.number}（{n.get_kind_display()}）の受理"
    files = list(PersonalFile.objects.filter(programs=event.program).order_by("code"))
    if not files:
        if not event.version.is_abolished:
            _create(programs=[event.program], actor=event.actor, cause=cause, notification=n)
        return
    for file in files:
        sync(file, actor=event.actor, cause=cause, notification=n)
