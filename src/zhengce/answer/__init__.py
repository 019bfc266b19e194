"""有问即答: short cited answers composed from the provisions that answer a question.

Offline and extractive by default: retrieve provisions (``zhengce.search``), score their
sentences against the question's content terms and intent (多少 → amounts, 哪个部门 → agencies),
and compose the best ones with a citation id after every sentence. When the best sentence
covers too little of the question's content, abstain plainly and list the nearest provisions.
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
