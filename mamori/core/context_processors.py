from mamori.core import permissions as perm


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "register": perm.can_view_register(user),
            "requests": perm.has_role(user, "privacy_office", "auditor", "dept_staff", "dept_manager"),
            "notifications": perm.can_view_register(user),
            "vocabulary": perm.can_view_register(user),
            "council": perm.can_view_council(user),
            "audit": perm.can_view_audit(user),
            "users": perm.can_manage_users(user),
            "organisation": perm.can_manage_users(user) or perm.can_review(user) or perm.has_role(user, "auditor"),
        }
    }
