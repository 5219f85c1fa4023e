"""Text encodings: BOMs, UTF-8, else the most plausible legacy code page (cp1252 French news)."""

from __future__ import annotations

import codecs
from pathlib import Path

from workbench.core.errors import InputError

HEAD_BYTES = 64 * 1024

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# When the detector finds several single-byte code pages equally plausible (as it
# does for most French text: cp1250 and cp1252 tie), prefer the Western ones.
PREFERRED_CODEPAGES = ("cp1252", "latin_1", "iso8859_15")


def decode_bytes(data: bytes, where: str | Path) -> tuple[str, str]:
    """Decode bytes as a BOM says, else as UTF-8, else as charset-normalizer detects."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(f"{where}: starts with a {encoding} byte-order mark but is not valid "
                                 f"{encoding}; re-save it as UTF-8") from None
    if b"\x00" in data[:HEAD_BYTES]:
        raise InputError(f"{where}: binary file (contains NUL bytes), not text; "
                         "remove it or convert it to UTF-8 text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = detect_encoding(data)
    if encoding is None:
        raise InputError(f"{where}: cannot tell the text encoding (not UTF-8, no plausible code page); "
                         "re-save it as UTF-8")
    return data.decode(encoding, errors="replace"), encoding


def detect_encoding(data: bytes) -> str | None:
    """Most plausible legacy encoding of non-UTF-8 bytes, or None when nothing fits."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        return None
    least_chaos = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= least_chaos + 0.01]
    for preferred in PREFERRED_CODEPAGES:
        for match in tied:
            if preferred in match.could_be_from_charset:
                return preferred
    return tied[0].encoding
