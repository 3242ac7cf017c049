"""Keyword classification of a complaint or report text into a `Category` (投诉举报分类).

The text is segmented with jieba and every token that is a keyword of a category adds that keyword's
weight to the category's score (each distinct keyword once). The highest score wins; a category may
*yield* to others (it drops out when one of them also matched); equal scores go to the category listed
first in `priority`; nothing matched → OTHER. The keywords, weights, yields and priority are data, in
category_rules.toml next to this module (see docs/complaints-classification.md).

jieba is loaded on the first call, not at import: building its prefix dictionary takes about a second
(half that with its cache file), which processes that never classify should not pay. Initialisation is
guarded by a lock, so concurrent first calls build one tokenizer; afterwards segmentation only reads it.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import time
import tomllib
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from jianguan.complaints.choices import Category

logger = logging.getLogger(__name__)

RULES_PATH = Path(__file__).with_name("category_rules.toml")

# A token counts for segment() when it holds at least one letter, digit or CJK character.
_WORDISH = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


@dataclass(frozen=True)
class Classification:
    category: Category
    keywords: tuple[str, ...]  # the winning category's matched keywords, heaviest first
    scores: dict = field(default_factory=dict, hash=False)  # {Category: score} of every category that matched


@dataclass(frozen=True)
class Rules:
    keywords: dict  # {normalised word: (Category, weight)}
    priority: tuple  # of Category, first wins a tie
    yields: dict  # {Category: frozenset of Category it gives way to}
    extra_words: tuple  # added to jieba's dictionary only
    min_freq: int  # least dictionary frequency of a rule word of two or more characters


def _normalise(text: str) -> str:
    # NFKC folds full-width letters, digits and punctuation (ＬＶ，３Ｃ) into ASCII; keywords are lower case.
    return unicodedata.normalize("NFKC", text).lower()


def load_rules(path: Path | str = RULES_PATH) -> Rules:
    """Parse and check a rules file; raises ValueError naming the problem."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    for key in ("priority", "weights", "categories"):
        if key not in data:
            raise ValueError(f"{path} has no {key!r} (top-level keys go before the first [table])")
    known = {c.value for c in Category}
    weights = data["weights"]
    keywords: dict[str, tuple[Category, int]] = {}
    for name, levels in data["categories"].items():
        if name not in known:
            raise ValueError(f"unknown category {name!r} in {path}")
        for level, words in levels.items():
            if level not in weights:
                raise ValueError(f"unknown weight {level!r} under categories.{name} in {path}")
            for word in words:
                key = _normalise(word).strip()
                if not key:
                    raise ValueError(f"empty keyword under categories.{name} in {path}")
                if key in keywords:
                    raise ValueError(f"keyword {word!r} is listed twice ({keywords[key][0].value}, {name}) in {path}")
                keywords[key] = (Category(name), int(weights[level]))
    priority = tuple(Category(c) for c in data["priority"])
    if set(priority) != set(Category):
        missing = sorted(known - {c.value for c in priority})
        raise ValueError(f"priority must list every category exactly once (missing: {missing}) in {path}")
    if len(priority) != len(set(priority)):
        raise ValueError(f"priority lists a category twice in {path}")
    yields = {Category(k): frozenset(Category(v) for v in vs) for k, vs in data.get("yields", {}).items()}
    for loser, winners in yields.items():
        for winner in winners:
            if loser in yields.get(winner, ()):
                raise ValueError(f"{loser.value} and {winner.value} yield to each other in {path}")
    dictionary = data.get("dictionary", {})
    extra = tuple(_normalise(w) for w in dictionary.get("words", ()))
    return Rules(keywords=keywords, priority=priority, yields=yields, extra_words=extra,
                 min_freq=int(dictionary.get("min_freq", 0)))


def _cache_dir() -> str:
    """Where jieba keeps its prefix-dictionary cache (jieba.cache).

    jieba calls tempfile.gettempdir() itself, which raises when no temp dir is usable (a read-only
    container); then we hand it a path that cannot be a directory, so it finds no cache, builds the
    dictionary in memory and its attempt to write the cache fails inside its own try/except. A temp dir
    that exists but is read-only needs nothing special: the write fails the same quiet way.
    """
    try:
        return tempfile.gettempdir()
    except OSError:
        return os.path.join(os.devnull, "jieba")


def _build_tokenizer(words, min_freq: int = 0):
    with warnings.catch_warnings():
        # jieba 0.42 imports pkg_resources, which newer setuptools flags as deprecated.
        warnings.simplefilter("ignore")
        import jieba
    # jieba logs to its own stderr handler: debug chatter on every start, and a traceback when the cache
    # file cannot be written (harmless: the dictionary is then simply rebuilt on the next start).
    logging.getLogger("jieba").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    tokenizer = jieba.Tokenizer()  # our own instance: words added here do not leak into jieba.dt
    tokenizer.tmp_dir = _cache_dir()
    tokenizer.initialize()
    for word in words:
        # suggest_freq: just enough for the word to be cut out on its own; min_freq lets it hold its own
        # next to common words in a sentence (see [dictionary] in the rules file).
        freq = tokenizer.suggest_freq(word, tune=False)
        tokenizer.add_word(word, max(freq, min_freq) if len(word) > 1 else freq)
    logger.debug("jieba ready in %.2fs (cache dir %s)", time.perf_counter() - started, tokenizer.tmp_dir)
    return tokenizer


_lock = threading.Lock()
_state: tuple | None = None  # (Rules, jieba.Tokenizer), built once on first use


def _get_state() -> tuple:
    global _state
    state = _state
    if state is None:
        with _lock:
            if _state is None:
                rules = load_rules()
                words = dict.fromkeys([*rules.keywords, *rules.extra_words])
                _state = (rules, _build_tokenizer(words, rules.min_freq))
            state = _state
    return state


def warm_up() -> None:
    """Build the tokenizer now: a web server loading the application once before it forks its
    workers (gunicorn --preload) then shares it, and no public submission waits for it."""
    _get_state()


def _tokens(text: str) -> list[str]:
    _, tokenizer = _get_state()
    return tokenizer.lcut(_normalise(text))


def segment(text: str) -> list[str]:
    """The words of `text` as jieba cuts them (with the rules' words in its dictionary), normalised
    (full-width → ASCII, lower case), without whitespace and punctuation tokens."""
    return [t for t in _tokens(text) if _WORDISH.search(t)]


def classify(text: str) -> Classification:
    rules, _ = _get_state()
    matched: dict[Category, list[tuple[int, str]]] = {}
    seen: set[str] = set()
    for token in _tokens(text or ""):
        hit = rules.keywords.get(token)
        if hit is None or token in seen:
            continue
        seen.add(token)
        category, weight = hit
        matched.setdefault(category, []).append((weight, token))
    scores = {c: sum(w for w, _ in hits) for c, hits in matched.items()}
    contenders = [c for c in scores if not (rules.yields.get(c, frozenset()) & scores.keys())]
    if not contenders:
        return Classification(Category.OTHER, (), scores)
    rank = {c: i for i, c in enumerate(rules.priority)}
    winner = min(contenders, key=lambda c: (-scores[c], rank[c]))
    # Heaviest first; sorted() is stable, so equal weights keep their order in the text.
    keywords = tuple(word for _, word in sorted(matched[winner], key=lambda h: -h[0]))
    return Classification(winner, keywords, scores)


def evaluate(samples) -> dict:
    """Accuracy of classify() on labelled samples: an iterable of {"text", "category", ...} dicts.

    Returns {"total", "correct", "accuracy", "per_category": {value: {"total", "correct", "accuracy"}},
    "confusions": [{"expected", "predicted", "count"}] (most frequent first), "errors": [...]}.
    """
    per: dict[str, list[int]] = {c.value: [0, 0] for c in Category}
    pairs: dict[tuple[str, str], int] = {}
    errors = []
    for sample in samples:
        expected = Category(sample["category"]).value
        result = classify(sample["text"])
        per[expected][0] += 1
        if result.category == expected:
            per[expected][1] += 1
        else:
            pairs[expected, result.category.value] = pairs.get((expected, result.category.value), 0) + 1
            errors.append({"text": sample["text"], "expected": expected, "predicted": result.category.value,
                           "keywords": list(result.keywords),
                           "scores": {c.value: s for c, s in result.scores.items()}})
    total = sum(t for t, _ in per.values())
    correct = sum(c for _, c in per.values())
    return {
        "total": total,
        "correct": correct,
        "accuracy": correct / total if total else None,
        "per_category": {k: {"total": t, "correct": c, "accuracy": c / t if t else None} for k, (t, c) in per.items()},
        "confusions": [{"expected": e, "predicted": p, "count": n}
                       for (e, p), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))],
        "errors": errors,
    }
