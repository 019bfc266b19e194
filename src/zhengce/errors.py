"""One error vocabulary for every face (CLI, API, web).

Each error carries a message for people, an HTTP status, and an optional hint; the API renders
them in one JSON shape and the CLI prints one sentence and exits non-zero.
"""

from __future__ import annotations


class ZhengceError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` what to do about it."""

    status = 400
    title = "错误"

    def __init__(self, message: str, *, hint: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.field = field

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class SourceError(ZhengceError):
    """A source file cannot be read or is not a policy text (empty, binary, broken)."""

    status = 422
    title = "无法读取文件"

    def __init__(self, path: str, reason: str, *, hint: str | None = None):
        super().__init__(f"{path}: {reason}", hint=hint)
        self.path = path
        self.reason = reason


class NotFound(ZhengceError):
    status = 404
    title = "未找到"


class InvalidInput(ZhengceError):
    """Bad user input; ``field`` names the offending field path."""

    status = 400
    title = "输入有误"


class Forbidden(ZhengceError):
    status = 403
    title = "无权操作"


class Unauthorized(ZhengceError):
    status = 401
    title = "需要身份验证"
