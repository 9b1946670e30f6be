"""The demo narrative corpus and the triage evaluation set: shape, placeholders,
and independence of the two. The corpus's situations are two lists in one format,
SITUATIONS and MORE_SITUATIONS: each is checked on its own, and the two together
(all_situations) for duplicates and for independence. Plain Python: no Django, no
database."""
import json
import string
from collections import Counter
from pathlib import Path

from demo.corpus import all_situations
from demo.corpus.situations import BODIES, CONSULTATION_TOPICS, GRID_FINDINGS, SITUATIONS, has_own_opening
from demo.corpus.situations_more import MORE_SITUATIONS

CATEGORIES = [
    "marriage_family", "neighbourhood", "labour", "property_management", "consumer", "housing_land", "medical",
    "traffic_accident", "finance", "education", "environment", "debt", "land_acquisition", "online", "other",
]
PLACEHOLDERS = {"a", "r", "org", "amount", "months", "days", "n", "project"}
EVAL_PATH = Path(__file__).resolve().parents[2] / "intake" / "triage" / "evaluation_set.jsonl"
SHARED = 12  # an eval narrative shares no substring this long with the corpus
TABLES = {"SITUATIONS": SITUATIONS, "MORE_SITUATIONS": MORE_SITUATIONS}


def load_eval():
    with EVAL_PATH.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def fields(text):
    return [name for _, name, spec, conv in string.Formatter().parse(text) if name is not None]


def corpus_texts():
    """Every template string of the corpus: situation texts and details (both lists),
    topics, findings."""
    for items in all_situations().values():
        for item in items:
            yield item["text"]
            yield from item["details"]
    for topics in CONSULTATION_TOPICS.values():
        yield from topics
    for findings in GRID_FINDINGS.values():
        yield from findings


def test_every_category_is_in_both_files():
    assert list(SITUATIONS) == CATEGORIES
    assert list(MORE_SITUATIONS) == CATEGORIES
    assert set(CONSULTATION_TOPICS) == set(CATEGORIES)
    assert set(GRID_FINDINGS) == set(CATEGORIES)
    assert {row["category"] for row in load_eval()} == set(CATEGORIES)


def test_counts():
    for code in CATEGORIES:
        assert len(SITUATIONS[code]) >= 30, code
        assert len(MORE_SITUATIONS[code]) >= 30, code
        assert len(CONSULTATION_TOPICS[code]) >= 5, code
        assert len(GRID_FINDINGS[code]) >= 5, code
    per_category = Counter(row["category"] for row in load_eval())
    for code in CATEGORIES:
        assert per_category[code] >= 10, code


def test_all_situations_merges_both_lists():
    merged = all_situations()
    assert list(merged) == CATEGORIES
    for code in CATEGORIES:
        assert merged[code] == SITUATIONS[code] + MORE_SITUATIONS[code], code
    merged["other"].clear()  # fresh lists: the corpus itself stays as it is
    assert all_situations()["other"] and SITUATIONS["other"] and MORE_SITUATIONS["other"]


def test_situation_shape():
    for table in TABLES.values():
        for code, items in table.items():
            for item in items:
                assert set(item) <= {"text", "details", "respondent", "also"}, item
                assert isinstance(item["text"], str) and item["text"], item
                assert isinstance(item["details"], list) and len(item["details"]) <= 3, item
                assert item["respondent"] in ("org", "person", None), item
                assert item["text"].endswith("。"), item["text"]
                assert all(d.endswith("。") for d in item["details"]), item


def test_placeholders_are_the_allowed_ones():
    for text in corpus_texts():
        names = fields(text)
        assert set(names) <= PLACEHOLDERS, (text, names)
        assert all(spec == "" for _, name, spec, _ in string.Formatter().parse(text) if name), text
        dummy = {name: "x" for name in PLACEHOLDERS}
        text.format(**dummy)  # no stray braces


def test_respondent_matches_the_placeholders():
    for table in TABLES.values():
        for code, items in table.items():
            for item in items:
                names = set(fields(item["text"])).union(*(fields(d) for d in item["details"]))
                if "org" in names:
                    assert item["respondent"] == "org", item["text"]
                elif "r" in fields(item["text"]):
                    assert item["respondent"] == "person", item["text"]
                if item["respondent"] == "org":
                    assert "org" in names, item["text"]
                    assert code in BODIES, code


def test_also_is_another_category():
    for name, table in TABLES.items():
        for code, items in table.items():
            borderline = [item["also"] for item in items if "also" in item]
            assert all(also in CATEGORIES and also != code for also in borderline), (name, code)
            assert 2 <= len(borderline) <= len(items) // 5, (name, code, len(borderline))


def test_texts_vary():
    for name, table in TABLES.items():
        for code, items in table.items():
            texts = [item["text"] for item in items]
            assert Counter(t[:2] for t in texts).most_common(1)[0][1] <= len(texts) // 2, (name, code)
            assert min(map(len, texts)) <= 20 and max(map(len, texts)) >= 40, (name, code)
            assert sum(has_own_opening(t) for t in texts) <= len(texts) // 4, (name, code)


def test_more_situations_record_matters_in_several_voices():
    """MORE_SITUATIONS is written as clerks, hotline operators, grid workers, letters
    and online forms record a matter: each category has some of the own openings."""
    for code, items in MORE_SITUATIONS.items():
        openings = {item["text"][:2] for item in items if has_own_opening(item["text"])}
        assert len(openings) >= 4, (code, openings)


def test_no_duplicate_texts():
    texts = [item["text"] for items in all_situations().values() for item in items]
    assert len(texts) == len(set(texts)), [t for t, c in Counter(texts).items() if c > 1]
    narratives = [row["narrative"] for row in load_eval()]
    assert len(narratives) == len(set(narratives)), [t for t, c in Counter(narratives).items() if c > 1]


def test_eval_lines():
    for row in load_eval():
        assert set(row) == {"category", "narrative"}, row
        assert row["category"] in CATEGORIES, row
        assert 20 <= len(row["narrative"]) <= 200, row
        assert "{" not in row["narrative"] and "}" not in row["narrative"], row


def test_eval_is_independent_of_the_corpus():
    grams = set()
    for text in corpus_texts():
        grams.update(text[i:i + SHARED] for i in range(len(text) - SHARED + 1))
    shared = []
    for row in load_eval():
        narrative = row["narrative"]
        hits = {narrative[i:i + SHARED] for i in range(len(narrative) - SHARED + 1)} & grams
        if hits:
            shared.append((narrative, sorted(hits)))
    assert not shared, shared
