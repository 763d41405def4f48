"""The REST API (/api/v1/, docs/api.md): REST plumbing only, above every domain app.

The views are thin: they parse, call the same selectors and services as the screens, and present the
result. Every permission, validation, stale-edit and audit rule is the screens' own. What the API adds
is its own: per-user tokens (``models.ApiToken``, created and revoked on /account/api-tokens/), the
error format (``errors``), pagination, throttling and the OpenAPI document (drf-spectacular).
"""
