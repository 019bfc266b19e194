"""Legacy office files (.doc, .wps, .et) through LibreOffice headless, then the DOCX/XLSX readers.

Word 97 ``.doc`` and Kingsoft ``.wps`` are binary formats no maintained pure-Python library
reads with tables intact; LibreOffice converts them faithfully. ``soffice --headless
--convert-to docx`` runs in a temporary folder with a timeout, under a profile of our own (one
per process, reused: a first start costs seconds, later ones less; a shared user profile would
be locked by a desktop LibreOffice). When no converter is installed the file is refused with
an error that names the missing program and the Debian package to install.

A file whose bytes say it is something else is read as what it is: a ``.doc`` that is really a
DOCX (zip) goes straight to the DOCX reader; RTF and the HTML "Word" files that sites export
are converted by LibreOffice like any other.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from .. import settings
from ..errors import SourceError
from ..model import SourceLine

PACKAGES = {"docx": "libreoffice-writer-nogui", "xlsx": "libreoffice-calc-nogui"}
_profile: str | None = None
_lock = threading.Lock()  # one conversion at a time per process: the profile is not shareable


def soffice() -> str | None:
    """The LibreOffice program: setting ``soffice`` ("none" disables), else found on PATH."""
    configured = settings.get("soffice")
    if configured:
        return None if configured.lower() == "none" else (shutil.which(configured) or None)
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout() -> float:
    try:
        return float(settings.get("convert_timeout") or 120)
    except ValueError:
        return 120.0


def _profile_dir() -> str:
    global _profile
    if _profile is None:
        _profile = tempfile.mkdtemp(prefix="zhengce-soffice-")
        atexit.register(shutil.rmtree, _profile, ignore_errors=True)
    return _profile


def convert(path: str, data: bytes, suffix: str, target: str) -> bytes:
    """Convert ``data`` (a ``suffix`` file) to ``target`` ("docx" or "xlsx") with LibreOffice."""
    exe = soffice()
    if exe is None:
        configured = settings.get("soffice") or ""
        want = "soffice" if configured.lower() in ("", "none") else configured
        raise SourceError(path, f"读取 {suffix} 文件需要 LibreOffice，但未安装 (converter not found: {want})",
                          hint=f"apt-get install {PACKAGES[target]}，或另存为 .{target}")
    with _lock, tempfile.TemporaryDirectory(prefix="zhengce-convert-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        cmd = [exe, f"-env:UserInstallation=file://{_profile_dir()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", target, "--outdir", str(out), str(src)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout())
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin is a child of the soffice script
            proc.communicate()
            raise SourceError(path, f"LibreOffice 转换超时 (conversion timed out after {timeout():g} s)") from None
        result = out / f"input.{target}"
        if proc.returncode != 0 or not result.is_file():
            detail = (err or b"").decode("utf-8", "replace").strip().splitlines()
            raise SourceError(path, f"LibreOffice 无法转换此文件，可能已损坏 (conversion failed: "
                                    f"{detail[-1] if detail else f'exit {proc.returncode}'})")
        return result.read_bytes()


def read_doc(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    """Word 97-2003 ``.doc``: converted to DOCX, then read as DOCX (tables as TSV rows)."""
    return _as_docx(path, data, ".doc", "doc")


def read_wps(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    """Kingsoft WPS Writer ``.wps`` (the .doc binary format in all recent versions)."""
    return _as_docx(path, data, ".wps", "wps")


def read_et(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    """Kingsoft spreadsheet ``.et``: converted to XLSX, then read as a workbook."""
    from .spreadsheet import read_xlsx

    if not data.startswith(b"PK\x03\x04"):
        data = convert(path, data, ".et", "xlsx")
    _, enc, lines = read_xlsx(path, data)
    return "et", enc, lines


def _as_docx(path: str, data: bytes, suffix: str, fmt: str) -> tuple[str, str | None, list[SourceLine]]:
    from .word import read_docx

    if not data.startswith(b"PK\x03\x04"):  # a real .doc; a zip is a DOCX under the old name
        data = convert(path, data, suffix, "docx")
    _, enc, lines = read_docx(path, data)
    return fmt, enc, lines
