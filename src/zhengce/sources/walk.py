"""Find the files to ingest under the paths a user gives, and name each by its source identity.

A folder is walked depth-first in sorted order (so two runs ingest in the same order and keys
that depend on order come out the same). What is skipped is counted, not silently lost:
hidden files and folders (``.git``, ``.DS_Store``), office lock files (``~$附件1.docx``) and
files whose extension no reader handles (images, archives). Folder symlinks are not followed
(a link back up the tree would loop). A file named explicitly is always returned, whatever its
extension, so the reader refuses it with a reason the user sees.

Each file comes with its ``source_path``: its path relative to the folder it was found under
("/"-separated), or its own name when it was given directly (see ``Library.source_identity``).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .reader import READERS


@dataclass
class Walk:
    files: list[tuple[Path, str]] = field(default_factory=list)  # (path, source_path)
    hidden: int = 0
    unsupported: Counter = field(default_factory=Counter)  # extension -> files skipped

    @property
    def skipped(self) -> int:
        return self.hidden + sum(self.unsupported.values())


def is_hidden(name: str) -> bool:
    return name.startswith(".") or name.startswith("~$")


def walk(paths: list[Path]) -> Walk:
    """Files to ingest under ``paths`` with their source paths, and counts of what was skipped."""
    out = Walk()
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            out.files.append((p, p.name))
            continue
        for top, dirs, names in os.walk(p, followlinks=False):
            kept = [d for d in dirs if not is_hidden(d)]
            out.hidden += sum(1 for d in dirs if is_hidden(d))  # a hidden folder counts once
            dirs[:] = sorted(kept)
            for name in sorted(names):
                f = Path(top) / name
                if is_hidden(name):
                    out.hidden += 1
                elif f.suffix.lower() not in READERS:
                    out.unsupported[f.suffix.lower()] += 1
                elif f.is_file():  # not a broken link or a socket
                    out.files.append((f, f.relative_to(p).as_posix()))
    return out
