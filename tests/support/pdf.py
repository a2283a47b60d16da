"""Reading a written PDF in tests: its objects with the compressed streams inflated, and (where
poppler-utils is installed, as scripts/test.sh makes sure) pdfinfo's report and each page's text."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zlib

POPPLER = bool(shutil.which("pdfinfo") and shutil.which("pdftotext"))


def pdf_objects(content: bytes) -> bytes:
    """The PDF's bytes with every compressed stream (object streams, metadata) inflated after it."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        start = match.end()
        end = content.find(b"endstream", start)
        try:
            parts.append(zlib.decompress(content[start:end]))
        except zlib.error:
            pass
    return b"\n".join(parts)


def pdf_tool(tool: str, content: bytes, *args: str) -> str:
    """What ``pdfinfo`` or ``pdftotext`` (to standard output) says of ``content``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(content)
        fh.flush()
        command = [tool, *args, fh.name, "-"] if tool == "pdftotext" else [tool, *args, fh.name]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, laid out as printed."""
    return pdf_tool("pdftotext", content, "-layout").split("\f")
