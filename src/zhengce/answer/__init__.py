"""有问即答: short cited answers composed from the provisions that answer a question.

Offline and extractive by default, in four steps, one module each:

- ``question``: what is asked (amount, rate, date, duration, count, 负责单位, who qualifies, how to
  apply, where, yes/no) and about what (terms, year, period, district, group);
- ``select``: retrieve provisions (``zhengce.search``) and score their sentences against it;
- ``stated`` + ``eligibility``: answer only when a passage states that kind of fact about that
  subject and year; questions about the asker's own eligibility go through the benefit rules
  (``zhengce.match``) and answer 可以 / 不可以 / 可能可以;
- ``compose``: the direct answer first, then conditions, amount and how to apply, each line
  cited; otherwise "未在已收录的政策文件中找到…" with the reason and the nearest provisions.

The answer object is computed once here; the CLI, ``/api/ask`` and the ask page only render it.
An optional OpenAI-compatible generator (``ZHENGCE_LLM_URL``) may rewrite the composed answer;
its output is kept only if every sentence still carries a citation we gave it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..search import Hit

if TYPE_CHECKING:
    from ..library import Library

ABSTAIN_PREFIX = "未在已收录的政策文件中找到"


@dataclass(slots=True)
class AnswerSentence:
    text: str  # the sentence as stated (from the provision's text)
    cid: str  # the provision it comes from
    doc_title: str


@dataclass(slots=True)
class Answer:
    question: str
    text: str  # the composed answer: one sentence a line, each ending with [cid]
    abstained: bool
    sentences: list[AnswerSentence] = field(default_factory=list)
    passages: list[Hit] = field(default_factory=list)  # retrieved provisions, best first
    coverage: float = 0.0  # weighted share of the question's content terms the answer covers
    rewritten: bool = False  # True when the optional generator rewrote ``text``
    fact: str = ""  # the kind of fact asked (question.Question.fact)
    analysis: dict = field(default_factory=dict)  # the question analysis (question.Question.to_dict)
    direct: str = ""  # the direct answer: one sentence
    reason: str = ""  # when abstaining: what the library does not state
    verdict: str | None = None  # eligibility questions: 可以 | 不可以 | 可能可以
    verdict_cid: str = ""  # the provision of the benefit rule the verdict applies
    conditions: list[str] = field(default_factory=list)  # eligibility: conditions still to check
    amount: str = ""  # eligibility: the benefit's amount, as stated
    apply: str = ""  # eligibility: how to apply


def ask(library: Library, question: str, *, k: int = 10, rewrite: bool | None = None) -> Answer:
    """Answer ``question`` from the library with citations, or abstain with the nearest provisions.

    ``rewrite``: use the ``ZHENGCE_LLM_URL`` generator (default: when that setting is present).
    """
    from .compose import compose
    ans = compose(library, question, k=k)
    from .. import settings
    url = settings.get("llm_url")
    if (rewrite if rewrite is not None else bool(url)) and url and not ans.abstained:
        from .llm import rewrite_answer
        ans = rewrite_answer(ans, url)
    return ans


__all__ = ["ABSTAIN_PREFIX", "Answer", "AnswerSentence", "ask"]
