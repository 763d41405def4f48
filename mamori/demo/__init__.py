"""The demo city (朝霞市's council packet as data), loaded by `mamori load-demo`: see ``mamori.demo.city``.

This package is also a Django app (for its management command), so Django imports it before any
model exists: nothing of the project is imported here.
"""
