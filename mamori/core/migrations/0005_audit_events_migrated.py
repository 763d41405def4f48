"""Existing audit events get their business verb and their root record (core.AuditEvent).

Self-contained on purpose: the rules below describe the events written before this release,
whatever the code says later.
"""
from django.db import migrations

STATUS_VERBS = {"submitted": "submit", "approved": "approve", "returned": "return", "withdrawn": "withdraw", "accepted": "accept"}
SUMMARY_VERBS = {"コメント": "comment", "届出の割当て": "assign", "届出の割当て解除": "unassign", "報告要否の確認": "confirm",
                 "補正の完了": "correct", "通知書の作成": "notify", "是正措置": "update", "返還・廃棄（第14条）": "dispose"}
CLOCK_VERBS = {"extension": "extend", "special": "special", "correction": "correct"}
# subject model → (its table, the column naming its root, the root's model)
CHILDREN = {
    "disclosure.RequestDocument": ("disclosure_requestdocument", "request_id", "disclosure.Request"),
    "disclosure.ClockEvent": ("disclosure_clockevent", "request_id", "disclosure.Request"),
    "disclosure.Appeal": ("disclosure_appeal", "request_id", "disclosure.Request"),
    "disclosure.Notice": ("disclosure_notice", "request_id", "disclosure.Request"),
    "outsourcing.Certification": ("outsourcing_certification", "contractor_id", "outsourcing.Contractor"),
    "outsourcing.FormReceipt": ("outsourcing_formreceipt", "contract_id", "outsourcing.Contract"),
    "outsourcing.Inspection": ("outsourcing_inspection", "contract_id", "outsourcing.Contract"),
    "outsourcing.Disposal": ("outsourcing_disposal", "contract_id", "outsourcing.Contract"),
    "outsourcing.ContractIncident": ("outsourcing_contractincident", "contract_id", "outsourcing.Contract"),
}


def verb_of(e) -> str:
    after = e.after if isinstance(e.after, dict) else {}
    if e.action == "transition":
        return STATUS_VERBS.get(after.get("status"), "update")
    if e.summary in SUMMARY_VERBS:
        return SUMMARY_VERBS[e.summary]
    if e.model == "disclosure.RequestDocument" and e.summary.endswith("の決定"):
        return "decide"
    if e.model == "disclosure.ClockEvent" and e.action == "create":
        return CLOCK_VERBS.get(after.get("kind"), "create")
    if e.model == "disclosure.Request" and e.action == "create":
        return "receive"
    if e.model == "disclosure.Appeal" and e.action == "create":
        return "appeal"
    if e.model == "outsourcing.Inspection":
        return "inspect"
    if e.model == "outsourcing.ContractIncident":
        return "report"
    return e.action


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    connection = schema_editor.connection
    tables = set(connection.introspection.table_names())
    roots: dict[tuple[str, str], tuple[str, str, str]] = {}
    with connection.cursor() as cursor:
        for model, (table, column, root_model) in CHILDREN.items():
            if table not in tables:
                continue
            cursor.execute(f"SELECT id, {column} FROM {table}")  # noqa: S608 - names are the constants above
            for pk, root_pk in cursor.fetchall():
                roots[(model, str(pk))] = (root_model, str(root_pk), "")
        if "outsourcing_finding" in tables and "outsourcing_inspection" in tables:
            cursor.execute("SELECT f.id, i.contract_id FROM outsourcing_finding f JOIN outsourcing_inspection i ON i.id = f.inspection_id")
            for pk, root_pk in cursor.fetchall():
                roots[("outsourcing.Finding", str(pk))] = ("outsourcing.Contract", str(root_pk), "")
    reprs = {(e.model, e.object_id): e.object_repr for e in AuditEvent.objects.only("model", "object_id", "object_repr")}
    batch = []
    for e in AuditEvent.objects.all().iterator():
        root_model, root_id, _ = roots.get((e.model, e.object_id), (e.model, e.object_id, ""))
        e.root_model, e.root_id = root_model, root_id
        e.root_repr = reprs.get((root_model, root_id), e.object_repr if (root_model, root_id) == (e.model, e.object_id) else "")[:255]
        e.action = verb_of(e)
        batch.append(e)
        if len(batch) >= 500:
            AuditEvent.objects.bulk_update(batch, ["root_model", "root_id", "root_repr", "action"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["root_model", "root_id", "root_repr", "action"])


def backwards(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    for verb in STATUS_VERBS.values():
        AuditEvent.objects.filter(action=verb).update(action="transition")
    AuditEvent.objects.exclude(action__in=["create", "update", "delete", "transition", "import", "login"]).update(action="update")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_verbs_and_root")]
    operations = [migrations.RunPython(forwards, backwards)]
