"""Tests of scripts/eval_extract.py: measures hand-computed on a tiny corpus, folding, BC values, both truth
kinds, error grouping, and a run on the real-text development set when it is present beside the project."""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALTEXT = ROOT.parent / "shared" / "realtext"

_spec = importlib.util.spec_from_file_location("eval_extract", ROOT / "scripts" / "eval_extract.py")
ev = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("eval_extract", ev)  # dataclasses look their module up while the script loads
_spec.loader.exec_module(ev)

# Seven documents, each chosen for what floor does with it (checked by the tests below):
DOCS = {
    "d1": "Ada Lovelace (1815–1852) was a writer.",                             # found, right entity
    "d2": "Plato (427–347 BC) was a philosopher.",                              # BC years
    "d3": "Zoë Dubois was born on 3 May 1901 in Paris.",                        # entity right after folding
    "d4": "Alan Turing\nEnglish mathematician (1912/3–1954/5)\n\nHe worked on computing.",  # missed
    "d5": "Fox Berkeley (1936–1964) was a racehorse.",                          # false positives
    "d6": "The Grand Marshal\nPresident of Peru and Bolivia (1795–1830)",       # right values, wrong entity
    "d7": "Lovelace (1815–1852) wrote notes.",                                  # entity = the truth's surface
}


def mention(doc, entity, relation, value, surface=None, evidence=""):
    return {"doc_id": doc, "entity_id": entity, "entity": entity, "surface": surface or entity,
            "relation": relation, "value": value, "evidence": evidence, "method": "hand"}


TRUTH = [
    mention("d1", "Ada Lovelace", "birth_year", "1815", evidence="(1815–1852)"),
    mention("d1", "Ada Lovelace", "death_year", "1852", evidence="(1815–1852)"),
    mention("d2", "Plato", "birth_year", "427 BC", evidence="(427–347 BC)"),
    mention("d2", "Plato", "death_year", "347 BC", evidence="(427–347 BC)"),
    mention("d3", "Zoe Dubois", "birth_year", "1901", surface="ZOE DUBOIS"),
    mention("d4", "Alan Turing", "birth_year", "1912", evidence="(1912/3–1954/5)"),
    mention("d4", "Alan Turing", "death_year", "1954", evidence="(1912/3–1954/5)"),
    mention("d5", "Arnold Schoenberg", "birth_year", "1874", evidence="(1874–1951)"),  # not in the text
    mention("d6", "Antonio José de Sucre", "birth_year", "1795", evidence="(1795–1830)"),
    mention("d6", "Antonio José de Sucre", "death_year", "1830", evidence="(1795–1830)"),
    mention("d7", "Ada Lovelace", "birth_year", "1815", surface="Lovelace", evidence="(1815–1852)"),
    mention("d7", "Ada Lovelace", "death_year", "1852", surface="Lovelace", evidence="(1815–1852)"),
]


def write_jsonl(path: Path, records) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def tiny(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"id": k, "text": v} for k, v in DOCS.items()])
    truth = write_jsonl(tmp_path / "truth.jsonl", TRUTH)
    return corpus, truth


def close(x, fraction) -> bool:
    return x is not None and math.isclose(x, float(fraction), rel_tol=0, abs_tol=1e-12)


def test_what_floor_finds_in_the_tiny_corpus(tiny):
    # The hand computation below rests on these facts; if extraction changes, this says so first.
    corpus, truth = tiny
    found = ev.read_found([corpus], None, {"format": None, "text_field": "text", "id_field": "id"})
    years = sorted((f.doc_id, f.category, f.entity, f.value) for f in found if f.category.endswith("_year"))
    assert years == [
        ("d1", "birth_year", "Ada Lovelace", "1815"), ("d1", "death_year", "Ada Lovelace", "1852"),
        ("d2", "birth_year", "Plato", "-0427"), ("d2", "death_year", "Plato", "-0347"),
        ("d3", "birth_year", "Zoë Dubois", "1901"),
        ("d5", "birth_year", "Fox Berkeley", "1936"), ("d5", "death_year", "Fox Berkeley", "1964"),
        ("d6", "birth_year", "Bolivia", "1795"), ("d6", "death_year", "Bolivia", "1830"),
        ("d7", "birth_year", "Lovelace", "1815"), ("d7", "death_year", "Lovelace", "1852"),
    ]


def test_hand_computed_measures(tiny):
    r = ev.evaluate([tiny[0]], tiny[1])
    assert list(r["categories"]) == ["birth_year", "death_year"]
    assert (r["documents"], r["truth_lines"], r["truth_documents_not_in_corpus"]) == (7, 12, 0)
    birth, death, pooled = r["categories"]["birth_year"], r["categories"]["death_year"], r["pooled"]
    # birth_year: found d1 d2 d3 d5 d6 d7; d5's 1936 is false; d4 and d5's labels are missed;
    # d6's entity (Bolivia) is wrong, d3's (Zoë Dubois ~ Zoe Dubois) and d7's (Lovelace = surface) are right.
    assert (birth["found"], birth["labelled"], birth["true_positives"], birth["matched_labels"]) == (6, 7, 5, 5)
    assert close(birth["precision"], Fraction(5, 6)) and close(birth["recall"], Fraction(5, 7))
    assert (birth["entity_checked"], birth["entity_correct"]) == (5, 4)
    assert close(birth["entity_accuracy"], Fraction(4, 5))
    # sr: floor keys Ada Lovelace and Lovelace apart (6 singletons); the truth has Ada Lovelace 1815 in d1 and d7.
    assert birth["sr_found"] == {"N": 6, "S": 6, "f1": 6, "sr": 1.0}
    assert birth["sr_truth"]["N"] == 7 and birth["sr_truth"]["S"] == 6 and birth["sr_truth"]["f1"] == 5
    assert close(birth["sr_truth"]["sr"], Fraction(5, 7)) and close(birth["sr_gap"], Fraction(2, 7))
    assert (death["found"], death["labelled"], death["true_positives"], death["matched_labels"]) == (5, 5, 4, 4)
    assert close(death["precision"], Fraction(4, 5)) and close(death["recall"], Fraction(4, 5))
    assert close(death["entity_accuracy"], Fraction(3, 4))
    assert (death["sr_truth"]["N"], death["sr_truth"]["f1"]) == (5, 3) and close(death["sr_gap"], Fraction(2, 5))
    assert (pooled["found"], pooled["labelled"], pooled["true_positives"], pooled["matched_labels"]) == (11, 12, 9, 9)
    assert close(pooled["precision"], Fraction(9, 11)) and close(pooled["recall"], Fraction(3, 4))
    assert close(pooled["entity_accuracy"], Fraction(7, 9))
    assert pooled["sr_found"] == {"N": 11, "S": 11, "f1": 11, "sr": 1.0}
    assert (pooled["sr_truth"]["N"], pooled["sr_truth"]["f1"]) == (12, 8) and close(pooled["sr_gap"], Fraction(1, 3))
    # d3's full date and place are not labelled: counted apart, not as false positives.
    assert r["unlabelled"] == {"birth_date": 1, "birth_place": 1}


def test_errors_are_grouped_by_form_with_their_text(tiny):
    groups = ev.evaluate([tiny[0]], tiny[1])["groups"]
    summary = {kind: [(g["form"], g["count"]) for g in gs] for kind, gs in groups.items()}
    assert summary == {
        "false_positive": [("another value labelled; first line: X (N–N)", 1),
                           ("no label for this category in the document; first line: X (N–N)", 1)],
        "entity_error": [("an unrelated name; second line: X (N–N)", 2)],
        "miss": [("nothing found; second line: (N/N–N/N) after a lowercase word", 2),
                 ("another value found; evidence not in the document", 1)],
    }
    turing = groups["miss"][0]["errors"][0]
    assert (turing["doc_id"], turing["category"], turing["value"]) == ("d4", "birth_year", "1912")
    assert turing["window"] == "Alan Turing⏎English mathematician [[(1912/3–1954/5)]]⏎⏎He worked on computing."
    sucre = groups["entity_error"][0]["errors"][0]
    assert (sucre["entity"], sucre["truth_entity"]) == ("Bolivia", "Antonio José de Sucre")
    assert sucre["window"] == "The Grand Marshal⏎President of Peru and [[Bolivia (1795–1830)]]"


def test_categories_option_restricts_extraction_and_evaluation(tiny):
    r = ev.evaluate([tiny[0]], tiny[1], categories=["death_year"])
    assert list(r["categories"]) == ["death_year"] and r["unlabelled"] == {}
    assert (r["pooled"]["found"], r["pooled"]["true_positives"], r["pooled"]["labelled"]) == (5, 4, 5)


def test_two_runs_give_the_same_report(tiny, tmp_path):
    outputs = []
    for i in range(2):
        path = tmp_path / f"run{i}.json"
        assert ev.main([tiny[0], tiny[1], "--json", str(path)]) == 0
        result = json.loads(path.read_text(encoding="utf-8"))
        assert result.pop("timing")["extract_s"] >= 0
        outputs.append(result)
    assert outputs[0] == outputs[1]


def test_entity_may_leave_out_a_trailing_qualifier(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [{"id": "k", "text": "Hans Krebs (1900–1981) was a biochemist."}])
    for labelled, right in (("Hans Krebs (biochemist)", 1), ("Hans Krebs Jr (biochemist)", 0)):
        truth = write_jsonl(tmp_path / "t.jsonl", [mention("k", labelled, "birth_year", "1900")])
        birth = ev.evaluate([corpus], truth)["categories"]["birth_year"]
        assert (birth["true_positives"], birth["entity_correct"]) == (1, right)


@pytest.mark.parametrize("a, b", [
    ("Zoë Dubois", "ZOE DUBOIS"),
    ("A. J. P. Taylor", "a j p taylor"),
    ("Baháʼu'lláh", "Bahaullah"),       # modifier-letter and ASCII apostrophes, accents
    ("O’Connor", "O'Connor"),
    ("Jean-Luc Picard", "jean luc picard"),
    ("İbn Sina", "ibn sina"),            # dotted capital I
    ("ﬁtzgerald", "Fitzgerald"),         # a compatibility ligature
])
def test_fold_equates(a, b):
    assert ev.fold(a) == ev.fold(b)


def test_fold_keeps_letters_and_digits_apart():
    assert ev.fold("A. J. P. Taylor") == "ajptaylor"
    assert ev.fold("Louis XIV") != ev.fold("Louis XV")
    assert ev.fold("Łukasz") != ev.fold("Lukasz")  # Ł has no decomposition: a letter of its own


@pytest.mark.parametrize("written, floor_value", [
    ("427 BC", "-0427"), ("347 BCE", "-0347"), ("44 B.C.", "-0044"), ("AD 14", "0014"), ("14 CE", "0014"),
    ("870", "0870"), ("1906", "1906"), (" 1906 ", "1906"), ("1815-12-10", "1815-12-10"), ("Paris", "Paris"),
    ("AD 14 BC", "AD 14 BC"),
])
def test_truth_values_in_floor_form(written, floor_value):
    assert ev.floor_value(written) == floor_value


def test_facts_table_truth(tmp_path):
    corpus = write_jsonl(tmp_path / "c.jsonl", [
        {"id": "e1", "text": "Ada Lovelace (1815–1852) was a writer."},
        {"id": "e2", "text": "Ada Lovelace (1815–1852) wrote notes."},
        {"id": "e3", "text": "Charles Babbage was born on 26 December 1791 in London."},
    ])
    truth = tmp_path / "t.tsv.gz"
    truth.write_bytes(gzip.compress("category\tentity\tvalue\tcount\n"
                                    "birth_year\tAda Lovelace\t1815\t1\n"
                                    "death_year\tAda Lovelace\t1852\t2\n"
                                    "birth_year\tCharles Babbage\t1790\t1\n"
                                    "birth_place\tCharles Babbage\tLondon\t1\n".encode()))
    r = ev.evaluate([corpus], str(truth))
    assert r["truth_kind"] == "facts" and list(r["categories"]) == ["birth_year", "death_year", "birth_place"]
    birth = r["categories"]["birth_year"]
    # Ada 1815: 2 documents against 1 labelled (1 TP, 1 FP); Babbage 1791 found, 1790 labelled.
    assert (birth["found"], birth["labelled"], birth["true_positives"]) == (3, 2, 1)
    assert close(birth["precision"], Fraction(1, 3)) and close(birth["recall"], Fraction(1, 2))
    assert birth["entity_accuracy"] is None
    assert (birth["sr_found"]["N"], birth["sr_found"]["f1"], birth["sr_truth"]["N"], birth["sr_truth"]["f1"]) \
        == (3, 1, 2, 2)
    death = r["categories"]["death_year"]
    assert (death["precision"], death["recall"], death["sr_found"]["sr"], death["sr_truth"]["sr"]) == (1, 1, 0, 0)
    assert (r["categories"]["birth_place"]["true_positives"], r["unlabelled"]) == (1, {"birth_date": 1})
    forms = {kind: [(g["form"], g["count"]) for g in gs] for kind, gs in r["groups"].items()}
    assert forms == {
        "false_positive": [("entity labelled with another value; first line: X was born on N M N in London", 1),
                           ("more documents than labelled; first line: X (N–N)", 1)],
        "entity_error": [],
        "miss": [("entity found with another value", 1)],
    }


@pytest.mark.parametrize("line, reason", [
    ("not json", "truth.jsonl:2: not JSON"),
    ('{"doc_id": "d1", "entity": "Ada", "relation": "birth_year"}', "truth.jsonl:2: field 'value' must be"),
    ('["d1"]', "truth.jsonl:2: a truth line must be a JSON object"),
])
def test_a_bad_truth_line_is_a_one_line_error(tiny, tmp_path, capsys, line, reason):
    bad = tmp_path / "truth.jsonl"
    bad.write_text(json.dumps(TRUTH[0]) + "\n" + line + "\n", encoding="utf-8")
    assert ev.main([tiny[0], str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("eval_extract: error: ") and reason in err and err.count("\n") == 1


def test_a_file_that_is_no_truth_is_an_error(tiny, tmp_path, capsys):
    other = tmp_path / "other.tsv"
    other.write_text("a\tb\n1\t2\n", encoding="utf-8")
    assert ev.main([tiny[0], str(other)]) == 2
    assert "not a truth file" in capsys.readouterr().err


@pytest.mark.skipif(not (REALTEXT / "bio_dev.jsonl").is_file(), reason="the real-text development set is absent")
def test_runs_on_the_real_text_development_set(tmp_path, capsys):
    out = tmp_path / "dev.json"
    assert ev.main([str(REALTEXT / "bio_dev.jsonl"), str(REALTEXT / "bio_dev.truth_mentions.jsonl"),
                    "--json", str(out)]) == 0
    assert "pooled" in capsys.readouterr().out
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["documents"] > 0 and result["truth_lines"] > 0
    for m in [*result["categories"].values(), result["pooled"]]:
        for name in ("precision", "recall", "entity_accuracy"):
            assert 0 <= m[name] <= 1
        assert 0 <= m["sr_found"]["sr"] <= 1 and 0 < m["sr_truth"]["sr"] <= 1
        assert m["true_positives"] <= m["found"] and m["matched_labels"] <= m["labelled"]
