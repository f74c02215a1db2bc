"""Freed heap memory handed back to the system: glibc's ``malloc_trim``, nothing elsewhere."""

from __future__ import annotations

import os
import sys

import pytest

from helpdesk_desktop import heap


@pytest.fixture
def fresh_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test looks the allocator up again (the module caches what it found)."""
    monkeypatch.setattr(heap, "_trim", None)
    monkeypatch.setattr(heap, "_looked_up", False)


def _glibc() -> bool:
    try:
        return sys.platform.startswith("linux") and (
            os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (ValueError, OSError):
        return False


@pytest.mark.skipif(not _glibc(), reason="glibc's allocator only")
def test_on_glibc_freed_memory_is_given_back(fresh_lookup: None) -> None:
    assert heap.available()
    block = bytearray(64 * 2**20)  # above glibc's mmap threshold: given back at once
    del block
    pieces = [bytearray(100_000) for _ in range(200)]  # from the heap: trimmed
    del pieces
    assert isinstance(heap.trim(), bool)


def test_elsewhere_nothing_is_called(fresh_lookup: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_glibc", lambda: False)
    assert not heap.available()
    assert heap.trim() is False
