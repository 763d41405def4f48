"""The impact analysis and the flow map at a large city (issue 14's targets):

* the impact query for a contractor holding 200 programs (some through 再委託): p95 under 150 ms;
* the map's data for the whole register: under 1 s.

Run by `make bench` (from the suite, on SQLite and PostgreSQL), or alone:

    python -m mamori.bench.impact --db sqlite|postgresql [--programs 5000]
"""

# The project's models are imported inside the functions, not at the top: run alone (`python -m …`), this
# module configures Django (bench.__main__.configure builds a fresh database) before any model may be imported.

import argparse
import datetime
import random
import statistics
import sys
import time

TARGET_QUERY_MS, TARGET_MAP_S = 150, 1.0


def percentile95(times: list[float]) -> float:
    times = sorted(times)
    return round(times[max(0, int(len(times) * 0.95) - 1)], 1)


def bench_impact(client, office, samples: int = 40) -> dict:
    """A contractor with 200 contracts (180 direct, 20 as a sub-contractor), then the answer page, the answer
    itself (the selector alone), and the map's data for the whole register."""
    from mamori.impact import selectors as impact
    from mamori.outsourcing.models import Contract, Contractor
    from mamori.register.models import Program

    big = Contractor.objects.create(name="株式会社大口受託ベンチ", corporate_number="")
    prime = Contractor.objects.create(name="株式会社元請ベンチ", corporate_number="")
    programs = random.Random(14).sample(list(Program.objects.values_list("pk", flat=True)), 200)
    span = {"starts_on": datetime.date(2024, 4, 1), "ends_on": datetime.date(2025, 3, 31)}
    Contract.objects.bulk_create([Contract(program_id=p, contractor=big, kind="outsourcing", title=f"大口委託{p}", **span) for p in programs[:180]])
    parents = Contract.objects.bulk_create([Contract(program_id=p, contractor=prime, kind="outsourcing", title=f"元請{p}", **span) for p in programs[180:]])
    Contract.objects.bulk_create([Contract(program_id=c.program_id, contractor=big, kind="sub", parent=c, approved_on=span["starts_on"],
                                           title=f"再委託{c.program_id}", **span) for c in parents])
    on = datetime.date(2024, 7, 1)
    answer = impact.ask(office, "contractor", big.name, on)
    assert len(answer.rows) == 200, len(answer.rows)
    selector_times, page_times = [], []
    for _ in range(3):
        impact.ask(office, "contractor", big.name, on)
    for _ in range(samples):
        start = time.perf_counter()
        impact.ask(office, "contractor", big.name, on)
        selector_times.append((time.perf_counter() - start) * 1000)
    url = f"/impact/?kind=contractor&value={big.name}&on=2024-07-01"
    for _ in range(3):  # warm up, as the suite's page measures do
        client.get(url)
    for _ in range(samples):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        page_times.append((time.perf_counter() - start) * 1000)
    map_times = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get("/impact/map/data/?on=2024-07-01")
        assert response.status_code == 200
        map_times.append(time.perf_counter() - start)
    nodes = len(response.json()["nodes"])
    out = {
        "impact query, contractor with 200 programs (selector) p95 ms": percentile95(selector_times),
        "impact query, contractor with 200 programs (page) median ms": round(statistics.median(page_times), 1),
        "impact query, contractor with 200 programs (page) p95 ms": percentile95(page_times),
        "flow map data, whole register (s, worst of 5)": round(max(map_times), 2),
        "flow map data: nodes": nodes,
    }
    return out


def report(out: dict) -> None:
    for name, value in out.items():
        target = ""
        if name.endswith("p95 ms") and value >= TARGET_QUERY_MS:
            target = f"  <-- over the {TARGET_QUERY_MS} ms target"
        if name.startswith("flow map data, whole") and value >= TARGET_MAP_S:
            target = f"  <-- over the {TARGET_MAP_S} s target"
        print(f"{name:<62} {value}{target}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--programs", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=40)
    args = parser.parse_args()
    from mamori.bench.__main__ import configure

    configure(args.db)
    from django.test import Client

    from mamori.bench import suite

    city = suite.generate(args.programs)
    client = Client()
    client.force_login(city["office"])
    print(f"== {args.db}: {args.programs} programs, {city['flow_links']} flow-item links")
    report(bench_impact(client, city["office"], args.samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
