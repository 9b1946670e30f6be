#!/usr/bin/env python
"""`make evaluate`: train triage on the demo county's closed matters and measure it
on the independent evaluation set (intake/triage/evaluation_set.jsonl).

Runs against a database of its own (EVAL_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/governance_triage_eval): created, migrated and
seeded with the demo county (EVAL_CASES matters, default 20,000) on the first run;
later runs reuse it.

1. Choosing the model, without the evaluation set: every candidate of
   intake.triage.learning.CANDIDATES is fitted on the county's closed matters and
   scored on a validation split that holds out whole situations of the demo corpus
   (GroupShuffleSplit, 2 x 25 %; a random split shares templates with training and
   says ~0.94 for all of them). The production default is learning.DEFAULT; the
   report says whether the validation agrees.
2. Training as production does: the Celery task on a queued model (run in this
   process) -> triage_train_s, the held-out accuracy it stores.
3. Once, on the evaluation set: top-1 and top-3 accuracy, the p95 of one suggestion
   through the same service the desk and the API call (model loaded once), the
   confusion pairs; the same for the simplest baselines (keyword rules, the most
   common category).
4. The similar-matter query: EXPLAIN shows the trigram index serving it.

Results are merged into .bench/results.json (other keys are kept) and printed.
"""
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL_DATABASE_URL = os.environ.get("EVAL_DATABASE_URL",
                                   "postgres://postgres@127.0.0.1:5432/governance_triage_eval")
os.environ["DATABASE_URL"] = EVAL_DATABASE_URL  # never the caller's database
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ["DJANGO_SETTINGS_MODULE"] = "governance.settings.development"
CASES = int(os.environ.get("EVAL_CASES", "20000"))
EVAL_SET = ROOT / "intake" / "triage" / "evaluation_set.jsonl"
RESULTS = ROOT / ".bench" / "results.json"
TIMING_ROUNDS = 3
# Two validation splits differ by about this much top-1: a smaller lead is no lead.
NOISE = 0.01  # each evaluation narrative is suggested this many times for the p95


def log(message=""):
    print(message, file=sys.stderr, flush=True)


def ensure_database():
    import psycopg2

    parts = urlsplit(EVAL_DATABASE_URL)
    name = parts.path.lstrip("/")
    conn = psycopg2.connect(dbname="postgres", user=parts.username or "postgres", password=parts.password,
                            host=parts.hostname, port=parts.port or 5432)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def corpus_groups(texts):
    """Which corpus item (situation, grid finding, consultation topic) each generated
    narrative tells: found by the item's longest literal piece. Only the demo has this."""
    from demo.corpus import all_situations
    from demo.corpus.situations import CONSULTATION_TOPICS, GRID_FINDINGS

    keys = []
    for source, table in (("s", {c: [i["text"] for i in items] for c, items in all_situations().items()}),
                          ("g", GRID_FINDINGS), ("c", CONSULTATION_TOPICS)):
        for category, items in table.items():
            for index, text in enumerate(items):
                keys.append((max(re.split(r"\{[a-z]+\}", text), key=len), f"{source}:{category}:{index}"))
    keys.sort(key=lambda key: -len(key[0]))
    return [next((group for piece, group in keys if piece in text), "?") for text in texts]


def compare_candidates(texts, labels):
    import numpy as np
    from sklearn.model_selection import GroupShuffleSplit

    from intake.triage import learning

    texts, labels = np.array(texts, dtype=object), np.array(labels)
    groups = np.array(corpus_groups(list(texts)))
    splits = list(GroupShuffleSplit(n_splits=2, test_size=0.25, random_state=0).split(texts, labels, groups))
    rows = {}
    for name, (what, make_vectorizer, make_classifier) in learning.CANDIDATES.items():
        try:
            top1, top3, seconds = [], [], []
            for train, test in splits:
                started = time.monotonic()
                predictor = learning._fit(make_vectorizer, make_classifier, texts[train], labels[train], name)
                seconds.append(time.monotonic() - started)
                top1.append(learning.top_k_accuracy(predictor, texts[test], labels[test], 1))
                top3.append(learning.top_k_accuracy(predictor, texts[test], labels[test], 3))
        except ImportError as error:  # jieba is a development requirement only
            log(f"  {name:15s} skipped ({error})")
            continue
        rows[name] = {"top1": statistics.mean(top1), "top3": statistics.mean(top3), "fit_s": statistics.mean(seconds),
                      "spread": max(top1) - min(top1)}
        log(f"  {name:15s} top-1 {rows[name]['top1']:.3f} (splits {min(top1):.3f}-{max(top1):.3f})  "
            f"top-3 {rows[name]['top3']:.3f}  fit {rows[name]['fit_s']:.1f}s  {what}")
    best = max(rows, key=lambda n: (rows[n]["top1"], rows[n]["top3"]))
    return rows, best


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def evaluate_baseline(model, rows):
    tops = model.top([row["narrative"] for row in rows], k=3)
    timings = []
    for _ in range(TIMING_ROUNDS):
        for row in rows:
            t0 = time.perf_counter()
            model.top([row["narrative"]], k=3)
            timings.append((time.perf_counter() - t0) * 1000)
    top1 = statistics.mean(top[0][0] == row["category"] for top, row in zip(tops, rows))
    top3 = statistics.mean(row["category"] in {label for label, _ in top} for top, row in zip(tops, rows))
    return top1, top3, p95(timings)


def main():
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from governance.models import Case, Region, User
    from intake.triage import baselines, learning, similar, suggestions, training
    from intake.triage.models import TriageSettings
    from intake.triage.tasks import train_triage_model

    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    if have < CASES:
        log(f"seeding the demo county with {CASES} matters (have {have})")
    call_command("seed_demo", cases=CASES, verbosity=0)
    county = Region.objects.get(depth=1)
    settings = TriageSettings.for_county(county)
    rows = list(training.history(county).values_list("narrative", "category__code")[:settings.max_matters])
    texts, labels = [r[0] for r in rows], [r[1] for r in rows]
    log(f"{len(rows)} closed matters of {county.name} in {len(set(labels))} categories")

    log("\n1. choosing the model: validation split holding out whole situations (not the evaluation set)")
    candidates, best = compare_candidates(texts, labels)
    gap = candidates[best]["top1"] - candidates[learning.DEFAULT]["top1"]
    log(f"  best on validation: {best}; production default {learning.DEFAULT} is {gap:.3f} behind "
        f"({'within' if gap <= NOISE else 'OUTSIDE'} the {NOISE} the two splits differ by: "
        f"{'kept, for its probabilities, which the chips show as scores' if gap <= NOISE else 'reconsider it'})")

    log("\n2. training as production does (the Celery task, run in this process)")
    model = training.request_training(county=county, trigger="admin")
    started = time.perf_counter()
    train_triage_model.apply(args=[model.pk])
    train_s = time.perf_counter() - started
    model.refresh_from_db()
    if model.status != "ready":
        sys.exit(f"training failed: {model.status} {model.error}")
    log(f"  v{model.version}: {model.matters} matters, {train_s:.1f}s, held-out (random split) "
        f"top-1 {model.heldout_top1:.3f} top-3 {model.heldout_top3:.3f}")

    log("\n3. the independent evaluation set, once")
    evaluation = [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    place = Region.objects.filter(path__startswith=county.path, level="village").order_by("path").first()
    suggestions.predictor_for(county)  # loaded once, as in a worker
    hits1 = hits3 = 0
    confusion = Counter()
    for row in evaluation:
        result = suggestions.suggest(narrative=row["narrative"], county=county, region=place)
        codes = [choice.category.code for choice in result.choices]
        hits1 += bool(codes) and codes[0] == row["category"]
        hits3 += row["category"] in codes
        if codes and codes[0] != row["category"]:
            confusion[(row["category"], codes[0])] += 1
    timings = []
    for _ in range(TIMING_ROUNDS):
        for row in evaluation:
            t0 = time.perf_counter()
            suggestions.suggest(narrative=row["narrative"], county=county, region=place)
            timings.append((time.perf_counter() - t0) * 1000)
    top1, top3 = hits1 / len(evaluation), hits3 / len(evaluation)
    log(f"  model: top-1 {top1:.3f} top-3 {top3:.3f} suggestion p95 {p95(timings):.1f} ms "
        f"(median {statistics.median(timings):.1f} ms, {len(timings)} suggestions)")
    log("  confusion pairs (true -> suggested first, count):")
    for (true, got), count in confusion.most_common():
        log(f"    {true} -> {got}: {count}")

    results = {
        "triage_top1": round(top1, 4), "triage_top3": round(top3, 4),
        "triage_suggest_p95_ms": round(p95(timings), 2), "triage_train_s": round(train_s, 2),
        "triage_algorithm": model.algorithm, "triage_train_matters": model.matters,
        "triage_heldout_top1": round(model.heldout_top1, 4), "triage_heldout_top3": round(model.heldout_top3, 4),
        "triage_eval_size": len(evaluation),
        "triage_confusion": [f"{t}->{g}:{c}" for (t, g), c in confusion.most_common()],
        "triage_validation_best": best,
        "triage_validation_default_gap": round(gap, 4),
    }
    for name, row in candidates.items():
        results[f"triage_validation_{name}_top1"] = round(row["top1"], 4)
        results[f"triage_validation_{name}_top3"] = round(row["top3"], 4)
    for key, make in (("triage_baseline", baselines.KeywordRules),
                      ("triage_baseline_most_common", baselines.MostCommon)):
        started = time.perf_counter()
        baseline = make(labels)
        fit_s = time.perf_counter() - started
        b1, b3, b95 = evaluate_baseline(baseline, evaluation)
        results.update({f"{key}_top1": round(b1, 4), f"{key}_top3": round(b3, 4),
                        f"{key}_suggest_p95_ms": round(b95, 3), f"{key}_train_s": round(fit_s, 3)})
        log(f"  {baseline.name}: top-1 {b1:.3f} top-3 {b3:.3f} p95 {b95:.3f} ms")
    results["triage_baseline_name"] = "keyword_rules"

    log("\n4. similar matters: the near-identical narrative query")
    clerk = User.objects.get(username="clerk")
    sample = Case.objects.filter(region__level="grid").order_by("-created_at").first()
    village = sample.region.path[:3 * Region.steplen]
    query = similar.narrative_query(Case.objects.restrict(clerk, "view"), sample.narrative, village)
    with connection.cursor() as cursor:
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    uses = "case_narrative_trgm" in plan
    t0 = time.perf_counter()
    found = similar.similar_to_case(user=clerk, case=sample)
    similar_ms = (time.perf_counter() - t0) * 1000
    log(plan)
    log(f"  trigram index used: {uses}; similar matters for {sample.number}: {len(found)} in {similar_ms:.1f} ms")
    results.update({"triage_similar_uses_trgm_index": uses, "triage_similar_ms": round(similar_ms, 1)})

    target = top1 >= 0.85 and top3 >= 0.97
    log(f"\ntarget top-1 >= 0.85 and top-3 >= 0.97: {'met' if target else 'NOT met'}")
    RESULTS.parent.mkdir(exist_ok=True)
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(results)
    RESULTS.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
