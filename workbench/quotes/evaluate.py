"""Scores of predicted attributions against gold: per-role exact and token F1, speaker accuracy.

Matching. Within each article, gold and predicted attributions are paired one-to-one,
greedily: every (gold, predicted) pair is scored by its content overlap (the predicted
content's tokens that fall inside the gold content's spans), ties broken by the same
overlap of the cues, then by the gold's and the prediction's positions in their lists;
pairs are taken best first, skipping any whose gold or prediction is already paired.
A pair sharing no content token and no cue token is never made. Every score below
counts unpaired attributions as misses (gold) or false alarms (predicted).

Tokens are maximal runs of word characters or single punctuation marks
(``records.TOKEN``), taken inside each span with their offsets; a token "falls inside"
spans when one span contains it whole.

Per role (source, cue, content):
- exact: a predicted attribution's role is right when its spans, merged, equal its gold
  partner's merged spans. p = right / predictions having the role, r = right / gold
  attributions having it (a missing source is not predicted and not scored).
- token: p = predicted tokens inside the partner's spans of the role / all predicted
  tokens of the role; r = gold tokens inside the partner's predicted spans / all gold
  tokens of the role (micro-averaged over the whole set).
A ratio over nothing is None; F1 is 0.0 when either side has something and None only
when both are empty. Speaker accuracy is over gold attributions with a speaker: right
when the partner's speaker is the same name (case and spacing aside).
"""

from __future__ import annotations

from collections import defaultdict

from workbench.core.errors import InputError
from workbench.core.records import normalise_text
from workbench.quotes.records import ROLES, Attribution, Spans, iter_tokens, merge_spans

Token = tuple[int, int]


def evaluate(gold: list[Attribution], predicted: list[Attribution],
             texts: dict[str, str]) -> dict:
    """Per-role exact and token precision, recall and F1, and speaker accuracy, with counts."""
    missing = sorted({a.article_id for a in [*gold, *predicted]} - set(texts))
    if missing:
        raise InputError(f"no text for article {missing[0]!r}"
                         f"{f' (and {len(missing) - 1} more)' if len(missing) > 1 else ''}; "
                         "pass every scored article's text in texts")
    pairs = match(gold, predicted, texts)
    exact = {role: [0, 0, 0] for role in ROLES}   # right, predicted, gold
    token = {role: [0, 0, 0, 0] for role in ROLES}  # predicted inside, predicted, gold inside, gold
    for g in gold:
        for role in ROLES:
            if g.spans(role):
                exact[role][2] += 1
                token[role][3] += len(_tokens(texts[g.article_id], g.spans(role)))
    for p in predicted:
        for role in ROLES:
            if p.spans(role):
                exact[role][1] += 1
                token[role][1] += len(_tokens(texts[p.article_id], p.spans(role)))
    for gi, pi in pairs:
        g, p = gold[gi], predicted[pi]
        text = texts[g.article_id]
        for role in ROLES:
            g_spans, p_spans = g.spans(role), p.spans(role)
            if g_spans and p_spans and merge_spans(g_spans) == merge_spans(p_spans):
                exact[role][0] += 1
            token[role][0] += _inside(_tokens(text, p_spans), g_spans)
            token[role][2] += _inside(_tokens(text, g_spans), p_spans)
    scores: dict = {role: {"exact": _prf(exact[role][0], exact[role][1], exact[role][0],
                                         exact[role][2]),
                           "token": _prf(*token[role])} for role in ROLES}
    scores["speaker"] = _speaker_accuracy(gold, predicted, pairs)
    scores["attributions"] = {"gold": len(gold), "predicted": len(predicted),
                              "matched": len(pairs)}
    return scores


def match(gold: list[Attribution], predicted: list[Attribution],
          texts: dict[str, str]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs, by the rule in the module docstring."""
    by_article: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, g in enumerate(gold):
        by_article[g.article_id][0].append(i)
    for j, p in enumerate(predicted):
        by_article[p.article_id][1].append(j)
    pairs = []
    for article_id, (golds, preds) in by_article.items():
        if not golds or not preds:
            continue
        text = texts[article_id]
        tokens = {j: {role: _tokens(text, predicted[j].spans(role)) for role in ("content", "cue")}
                  for j in preds}
        candidates = []
        for i in golds:
            for j in preds:
                content = _inside(tokens[j]["content"], gold[i].content)
                cue = _inside(tokens[j]["cue"], gold[i].cue)
                if content or cue:
                    candidates.append((-content, -cue, i, j))
        candidates.sort()
        used_gold, used_pred = set(), set()
        for _content, _cue, i, j in candidates:
            if i not in used_gold and j not in used_pred:
                used_gold.add(i)
                used_pred.add(j)
                pairs.append((i, j))
    return sorted(pairs)


def _tokens(text: str, spans: Spans) -> list[Token]:
    return list(iter_tokens(text, spans))


def _inside(tokens: list[Token], spans: Spans) -> int:
    """How many tokens one of the spans contains whole."""
    return sum(1 for start, end in tokens if any(s.start <= start and end <= s.end for s in spans))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _prf(right_p: int, n_pred: int, right_r: int, n_gold: int) -> dict:
    """Precision, recall and F1 with the counts they come from."""
    p, r = _ratio(right_p, n_pred), _ratio(right_r, n_gold)
    if p is None and r is None:
        f1 = None
    elif not p or not r:  # nothing predicted (or nothing right) scores 0, not undefined
        f1 = 0.0
    else:
        f1 = 2 * p * r / (p + r)
    return {"p": p, "r": r, "f1": f1, "predicted": n_pred, "gold": n_gold,
            "right_predicted": right_p, "right_gold": right_r}


def _speaker_accuracy(gold: list[Attribution], predicted: list[Attribution],
                      pairs: list[tuple[int, int]]) -> dict:
    """Share of gold attributions with a speaker whose partner names the same speaker."""
    partner = dict(pairs)
    total = right = 0
    for i, g in enumerate(gold):
        if g.speaker is None:
            continue
        total += 1
        guess = predicted[partner[i]].speaker if i in partner else None
        right += guess is not None and speaker_name(guess) == speaker_name(g.speaker)
    return {"accuracy": _ratio(right, total), "right": right, "total": total}


def speaker_name(speaker: str) -> str:
    """A speaker as compared: text normalised, case folded."""
    return normalise_text(speaker).casefold()

