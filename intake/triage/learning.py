"""The classifier itself, apart from Django: narrative -> category, with the words
that decided it. scikit-learn only; nothing is downloaded, nothing leaves the machine.

The production model (``DEFAULT``) was chosen by measurement: ``make evaluate``
(scripts/evaluate_triage.py) compares the ``CANDIDATES`` on a validation split of
the demo county's own matters that holds out whole situations, then reports the
chosen one once on the independent evaluation set. See the README's "Triage".
"""
import io
import re
import time
from dataclasses import dataclass, field

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

# Digits carry amounts, dates and counts, not the kind of dispute: each becomes "0",
# one character for one, so positions in the normalised text are positions in the original.
_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)
# n-grams made only of these never count as "deciding words" in an explanation.
_NOT_A_WORD = re.compile(r"^[\s0\W_]+$")


def normalise(text: str) -> str:
    return (text or "").translate(_DIGITS)


def _char_tfidf(ngrams=(1, 2)):
    # Characters need no word segmentation (Chinese has no spaces); min_df drops
    # one-off n-grams (names, typos), sublinear tf keeps a repeated word from shouting.
    return TfidfVectorizer(analyzer="char", ngram_range=ngrams, sublinear_tf=True, min_df=2,
                           preprocessor=normalise, dtype=np.float32)


def _jieba_tfidf():
    import jieba  # only the comparison needs it (requirements-dev.txt)
    import logging

    jieba.setLogLevel(logging.WARNING)
    return TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                           sublinear_tf=True, min_df=2, preprocessor=normalise, dtype=np.float32)


def _logistic(c):
    # sag converges on TF-IDF rows in a fraction of lbfgs's time, to the same accuracy.
    return LogisticRegression(C=c, solver="sag", tol=1e-3, max_iter=300, random_state=0)


# name -> (what it is, vectoriser factory, classifier factory). Scores come from
# predict_proba where the classifier has one, else from a softmax of the margins.
CANDIDATES = {
    "char12_lr": ("TF-IDF over characters and character pairs, logistic regression (C=3)",
                  _char_tfidf, lambda: _logistic(3)),
    "char12_lr_c10": ("TF-IDF over characters and character pairs, logistic regression (C=10)",
                      _char_tfidf, lambda: _logistic(10)),
    "char13_lr": ("TF-IDF over character 1-3-grams, logistic regression (C=3)",
                  lambda: _char_tfidf((1, 3)), lambda: _logistic(3)),
    "char12_svm": ("TF-IDF over characters and character pairs, linear SVM (C=0.2)",
                   _char_tfidf, lambda: LinearSVC(C=0.2)),
    "jieba12_lr": ("TF-IDF over jieba words and word pairs, logistic regression (C=3)",
                   _jieba_tfidf, lambda: _logistic(3)),
}
DEFAULT = "char12_lr"


@dataclass
class Explained:
    """One suggested label: its score and the phrases of the narrative that weighed
    most for it (``spans`` are [start, end) offsets into the narrative)."""

    label: str
    score: float
    words: list = field(default_factory=list)
    spans: list = field(default_factory=list)


class Predictor:
    """A fitted vectoriser + linear classifier, pickled into the database as one blob."""

    def __init__(self, vectorizer, classifier, algorithm):
        self.vectorizer, self.classifier, self.algorithm = vectorizer, classifier, algorithm
        self.labels = [str(label) for label in classifier.classes_]
        self.features = vectorizer.get_feature_names_out().tolist()

    # -- scores ---------------------------------------------------------------
    def scores(self, matrix):
        if hasattr(self.classifier, "predict_proba"):
            return self.classifier.predict_proba(matrix)
        margins = self.classifier.decision_function(matrix)
        margins = margins - margins.max(axis=1, keepdims=True)
        exp = np.exp(margins * 3)
        return exp / exp.sum(axis=1, keepdims=True)

    def top(self, texts, k=3):
        """[[(label, score), ...k] for each text], best first."""
        scores = self.scores(self.vectorizer.transform(texts))
        order = np.argsort(-scores, axis=1)[:, :k]
        return [[(self.labels[j], float(row[j])) for j in idx] for row, idx in zip(scores, order)]

    # -- one narrative, explained -------------------------------------------
    def explain(self, text, k=3, words=4) -> list[Explained]:
        """The top ``k`` labels for ``text``, each with up to ``words`` phrases: the
        n-grams whose weight x TF-IDF value pushed most towards the label, found in
        the narrative and merged where they touch."""
        row = self.vectorizer.transform([text])
        scores = self.scores(row)[0]
        coef = self.classifier.coef_
        indices, values = row.indices, row.data
        normal = normalise(text)
        result = []
        for j in np.argsort(-scores)[:k]:
            contribution = values * coef[j, indices] if len(indices) else np.zeros(0)
            grams = [(float(contribution[i]), self.features[indices[i]]) for i in np.argsort(-contribution)[:12]
                     if contribution[i] > 0 and not _NOT_A_WORD.match(self.features[indices[i]])]
            phrases = _phrases(text, normal, grams[:8])[:words]
            result.append(Explained(self.labels[j], float(scores[j]), [p for p, _, _ in phrases],
                                    sorted([s, e] for _, s, e in phrases)))
        return result

    # -- storage --------------------------------------------------------------
    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @staticmethod
    def loads(blob: bytes) -> "Predictor":
        # Only ever a blob this module wrote into our own database (see TriageModel).
        return joblib.load(io.BytesIO(bytes(blob)))


def _phrases(text, normal, grams):
    """Merge the occurrences of the weighted n-grams into phrases of ``text``:
    [(phrase, start, end)] heaviest first."""
    weight = np.zeros(len(text))
    covered = np.zeros(len(text), dtype=bool)
    for value, gram in grams:
        for match in re.finditer(re.escape(gram), normal):
            covered[match.start():match.end()] = True
            weight[match.start():match.end()] += value / len(gram)
    phrases, start = [], None
    for i in range(len(text) + 1):
        if i < len(text) and covered[i] and not _NOT_A_WORD.match(normal[i]):
            start = i if start is None else start
        elif start is not None:
            if i - start >= 2:  # a lone character says little to the clerk
                phrases.append((float(weight[start:i].sum()), start, i))
            start = None
    best = {}
    for value, s, e in sorted(phrases, reverse=True):
        best.setdefault(text[s:e], (value, s, e))  # a phrase met twice counts once
    return [(phrase, s, e) for phrase, (value, s, e) in sorted(best.items(), key=lambda item: -item[1][0])]


@dataclass
class Fitted:
    predictor: Predictor
    heldout_top1: float
    heldout_top3: float
    heldout_size: int
    seconds: float


def top_k_accuracy(predictor, texts, labels, k):
    if not len(texts):
        return 0.0
    tops = predictor.top(list(texts), k=k)
    return float(np.mean([label in {name for name, _ in top} for top, label in zip(tops, labels)]))


def fit(texts, labels, *, algorithm=DEFAULT, heldout=0.15, seed=0, progress=None) -> Fitted:
    """Measure on a held-out share of the matters, then fit on all of them.
    ``progress(percent, stage)`` is called between the steps."""
    started = time.monotonic()
    _, make_vectorizer, make_classifier = CANDIDATES[algorithm]
    texts, labels = list(texts), np.asarray(labels)
    if len(set(labels.tolist())) < 2:
        raise ValueError("at least two categories are needed")
    counts = {label: int((labels == label).sum()) for label in set(labels.tolist())}
    stratify = labels if min(counts.values()) >= 2 else None
    train_x, test_x, train_y, test_y = train_test_split(texts, labels, test_size=heldout, random_state=seed,
                                                        stratify=stratify)
    if progress:
        progress(20, "heldout")
    measured = _fit(make_vectorizer, make_classifier, train_x, train_y, algorithm)
    top1 = top_k_accuracy(measured, test_x, test_y, 1)
    top3 = top_k_accuracy(measured, test_x, test_y, 3)
    if progress:
        progress(55, "final")
    predictor = _fit(make_vectorizer, make_classifier, texts, labels, algorithm)
    return Fitted(predictor, top1, top3, len(test_x), time.monotonic() - started)


def _fit(make_vectorizer, make_classifier, texts, labels, algorithm) -> Predictor:
    vectorizer = make_vectorizer()
    matrix = vectorizer.fit_transform(texts)
    classifier = make_classifier()
    classifier.fit(matrix, labels)
    if hasattr(classifier, "coef_"):
        classifier.coef_ = classifier.coef_.astype(np.float32)  # half the blob, same ranking
    return Predictor(vectorizer, classifier, algorithm)
