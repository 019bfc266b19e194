"""时效性 (validity) as a domain concept: pure functions from clauses and acts to a status on a date.

``find_clauses`` reads a document's own 施行 and 有效期 clauses; ``validity`` combines them with the acts
of other documents (repeals, replaces, amends) for any ``as_of`` date. The library-facing service that
gathers those acts from the store is ``zhengce.graph``.
"""

from __future__ import annotations

from .clauses import Clauses, find_clauses
from .status import IN_FORCE, STATUSES, Act, Validity, validity

__all__ = ["IN_FORCE", "STATUSES", "Act", "Clauses", "Validity", "find_clauses", "validity"]
