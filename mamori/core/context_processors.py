from mamori.core import permissions as perm


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "register": perm.can_read_register(user),
            "requests": perm.can_read_requests(user),
            "notifications": perm.can_read_register(user),
            "vocabulary": perm.can_read_register(user),
            "council": perm.can_read_council(user),
            "audit": perm.can_read_audit(user),
            "users": perm.can_manage_users(user),
            "organisation": perm.can_read_organisation(user),
            "contracts": perm.can_read_contracts(user),
            "incidents": perm.can_read_incidents(user),
            "training": perm.can_read_training(user),
        }
    }
