"""questions measure: 一网通查 / 有问即答 (shared/eval/README.md, questions.jsonl).

Answerable questions: recall@1, recall@5 and MRR@10 of the returned passages (a hit is a
passage containing any evidence quote under the normalize rule), and the share of answers that
contain every fact. Unanswerable questions: the share where the system abstains. The system is
run as a user would: ``zhengce.answer.ask`` on a fresh library holding the gold's sources.
"""

from __future__ import annotations

from pathlib import Path

from .common import Score, fresh_library, load_gold, normalize, ratio


def _is_hit(passage_texts: list[str], evidence: list[str]) -> bool:
    quotes = [normalize(q) for q in evidence if q.strip()]
    return any(q in t for t in passage_texts for q in quotes)


def score(gold_dir: Path, corpus_dir: Path) -> Score:
    from ..answer import ask
    gold = load_gold(gold_dir, "questions")
    sources = {g["source"] for g in gold}
    r1 = r5 = mrr = facts = abstain = 0.0
    n_ans = n_un = 0
    misses: list[str] = []
    with fresh_library(corpus_dir, sources) as lib:
        for g in gold:
            a = ask(lib, g["question"], k=10, rewrite=False)
            if g["kind"] == "unanswerable":
                n_un += 1
                if a.abstained:
                    abstain += 1
                else:
                    misses.append(f"[abstain] {g['id']} {g['question']} (coverage {a.coverage:.2f}): "
                                  f"{a.text[:120]}")
                continue
            n_ans += 1
            rank = next((i + 1 for i, p in enumerate(a.passages[:10])
                         if _is_hit([normalize(p.text), normalize(p.raw)], g["evidence"])), None)
            if rank == 1:
                r1 += 1
            if rank and rank <= 5:
                r5 += 1
            if rank:
                mrr += 1 / rank
            else:
                misses.append(f"[passage] {g['id']} {g['question']}: evidence not in top 10 "
                              f"(top: {a.passages[0].cid if a.passages else '-'})")
            if rank and rank > 1:
                misses.append(f"[rank] {g['id']} evidence at rank {rank}")
            said = normalize(a.text)
            missing = [f for f in g["facts"] if normalize(f) not in said]
            if not missing and not a.abstained:
                facts += 1
            else:
                why = "abstained" if a.abstained else f"missing {missing}"
                misses.append(f"[facts] {g['id']} {why} (coverage {a.coverage:.2f}): {a.text[:160]}")
    return Score("questions", len(gold), {
        "recall@1": ratio(r1, n_ans), "recall@5": ratio(r5, n_ans), "mrr@10": ratio(mrr, n_ans),
        "facts": ratio(facts, n_ans), "abstain": ratio(abstain, n_un),
    }, misses)
