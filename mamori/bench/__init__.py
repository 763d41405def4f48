"""`make bench`: `python -m mamori.bench --db sqlite|postgresql` (see __main__ and suite)."""
