"""Optional rewriter behind an OpenAI-compatible ``/chat/completions`` endpoint (``ZHENGCE_LLM_URL``).

Off by default. The generator sees only the composed answer and the cited passages, and its
output is accepted only when every line still ends with a citation id we gave it and it cites
nothing else; otherwise the extractive answer stands. Network errors never fail a question.
"""

from __future__ import annotations

import re
from dataclasses import replace

import httpx

from . import Answer

_CITE = re.compile(r"\[([^\[\]]+)\]\s*$")
SYSTEM = ("你是政策问答助手。只能依据给出的条文改写答案，使其通顺简洁；不得添加条文以外的事实；"
          "每一句话末尾必须保留原有的引用标记[…]，不得编造新的引用。")


def _endpoint(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


def citations_ok(text: str, allowed: set[str]) -> bool:
    """Every non-empty line ends with 〔cid〕 and every cid is one we supplied."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return False
    for ln in lines:
        m = _CITE.search(ln)
        if not m or m.group(1) not in allowed:
            return False
    return True


def rewrite_answer(ans: Answer, url: str, *, model: str = "default", timeout: float = 20.0) -> Answer:
    allowed = {s.cid for s in ans.sentences}
    passages = "\n".join(f"[{s.cid}]《{s.doc_title}》{s.text}" for s in ans.sentences)
    body = {"model": model, "temperature": 0,
            "messages": [{"role": "system", "content": SYSTEM},
                         {"role": "user", "content": f"问题：{ans.question}\n条文：\n{passages}\n"
                                                     f"草稿答案：\n{ans.text}\n请输出改写后的答案，每句一行。"}]}
    try:
        r = httpx.post(_endpoint(url), json=body, timeout=timeout)
        r.raise_for_status()
        text = r.json()["choices"][0]["message"]["content"].strip()
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError):
        return ans
    if not citations_ok(text, allowed):
        return ans
    return replace(ans, text=text, rewritten=True)
