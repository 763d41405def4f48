from django.urls import reverse

from mamori.core import permissions as perm

# The main menu, in order: (key, label, url name, who may see it). The current section is the entry
# whose address is the longest prefix of the page's path; it is marked aria-current="page".
MENU = [
    ("register", "管理簿", "register:list", perm.can_read_register),
    ("notifications", "届出", "register:inbox", perm.can_read_register),
    ("files", "ファイル簿", "filebook:list", perm.can_read_files),
    ("requests", "請求", "disclosure:dashboard", perm.can_read_requests),
    ("contracts", "委託", "outsourcing:dashboard", perm.can_read_contracts),
    ("incidents", "漏えい等", "incidents:list", perm.can_read_incidents),
    ("training", "研修", "training:list", perm.can_read_training),
    ("handbooks", "手引", "handbooks:list", perm.can_read_handbooks),
    ("vocabulary", "記録項目", "register:vocabulary", perm.can_read_register),
    ("impact", "影響範囲", "impact:ask", perm.can_read_register),
    ("council", "審議会", "council:list", perm.can_read_council),
    ("audit", "監査ログ", "audit_log", perm.can_read_audit),
    ("organisation", "組織", "organisation", perm.can_read_organisation),
    ("users", "利用者", "user_list", perm.can_manage_users),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    entries = [{"key": "home", "label": "ホーム", "url": reverse("home")}]
    entries += [{"key": key, "label": label, "url": reverse(name)} for key, label, name, allowed in MENU if allowed(user)]
    path = request.path
    matches = [e for e in entries if path == e["url"] or (e["url"] != "/" and path.startswith(e["url"]))]
    current = max(matches, key=lambda e: len(e["url"]))["key"] if matches else None
    for entry in entries:
        entry["current"] = entry["key"] == current
    return {"nav": {e["key"]: True for e in entries}, "menu": entries, "menu_current": current}
