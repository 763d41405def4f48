from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url

from mamori.core import auth

PUBLIC_PREFIXES = ("/login/", "/static/", "/favicon.ico", "/healthz")


class LoginRequiredMiddleware:
    """Every page needs a login except the login page, static files and the health probe. Paths in
    MAMORI_LOGIN_EXEMPT_PREFIXES authenticate each request themselves (the REST API: a token, or the session)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open = PUBLIC_PREFIXES + tuple(getattr(settings, "MAMORI_LOGIN_EXEMPT_PREFIXES", ()))

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(self.open):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class SignInStepsMiddleware:
    """What a login still owes before any page: the code of a second factor (enrolment first, for a role that
    needs one and has none), then a new password in place of one an administrator gave."""

    ALWAYS_OPEN = ("/logout/", "/static/", "/favicon.ico", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.ALWAYS_OPEN):
            second_factor = (resolve_url("otp_verify"), resolve_url("otp_setup"))
            if auth.otp_required(user) and not user.is_verified() and not request.path.startswith(second_factor):
                step = "otp_verify" if auth.otp_device(user) else "otp_setup"
                return self._to(step, request)
            if user.must_change_password and not request.path.startswith((*second_factor, resolve_url("password_change"))):
                return self._to("password_change", request)
        return self.get_response(request)

    @staticmethod
    def _to(step, request):
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" and request.path != "/" else ""
        return HttpResponseRedirect(resolve_url(step) + (f"?{query}" if query else ""))


class NoStoreMiddleware:
    """Nothing a logged-in person sees may stay in a browser's or a proxy's cache: every page and
    download after login (personal data in a PDF too) is sent with ``Cache-Control: no-store``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
