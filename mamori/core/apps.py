from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mamori.core"
    label = "core"
    verbose_name = "基盤（組織・利用者・監査）"

    def ready(self):
        # Imported here, not at the top: the app's modules import its models, which exist only
        # once Django's app registry is ready. contributions.py lists all this app adds to core's registries.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in
        from django.core import checks

        from mamori.core import auth, contributions

        contributions.register()
        user_locked_out.connect(auth.on_locked_out, dispatch_uid="mamori-lockout-audit")
        user_logged_in.connect(auth.on_logged_in, dispatch_uid="mamori-login-clears-own-failures")
        checks.register(auth.check_otp_roles, checks.Tags.security, deploy=False)
