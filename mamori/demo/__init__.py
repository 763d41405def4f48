"""The demo city (朝霞市's council packet as data): `mamori load-demo`. The loader is ``mamori.demo.city``.

This package is also a Django app (for its management command), so Django imports it before
any model exists: it must import nothing of the project at its top.
"""
import importlib


def __getattr__(name):
    # Lazy, for callers that say ``mamori.demo.load()``: the app registry is ready by then.
    if name.startswith("_") or name in ("city", "incidents", "organisation", "outsourcing", "programs", "requests", "management"):
        raise AttributeError(name)
    return getattr(importlib.import_module("mamori.demo.city"), name)
