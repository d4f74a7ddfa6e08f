"""Keeping the turn leases of this process alive, and recovering the ones that died.

A turn holds its session's lease (``sessions.active_until``) while its answer is
written. The process writing it renews the lease every third of its length; a
process that dies (kill -9, a crash) stops renewing, and once the lease has run
out any process may mark that answer interrupted (with the words its learner was
already sent, when they were shared through Redis). So a second server or a
`tutor chat` sharing the database never touches an answer in flight.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from .repository import SharedText, Store

log = logging.getLogger("tutor")


async def recover_at_start(store: Store, shared_text: SharedText | None = None) -> int:
    """Recover what a dead process left behind; said once in the log."""
    recovered = await store.recover_interrupted(orphans=True, shared_text=shared_text)
    if recovered:
        log.warning("marked %d answer(s) left unfinished by a stopped process as interrupted", recovered)
    return recovered


async def keep_leases(store: Store, running: Callable[[], list[str]], lease: timedelta,
                      shared_text: SharedText | None = None) -> None:
    """Renew this process's leases and recover expired ones, until cancelled."""
    interval = lease.total_seconds() / 3
    while True:
        await asyncio.sleep(interval)
        try:
            own = running()
            await store.renew_leases(own, lease)
            recovered = await store.recover_interrupted(keep=own, shared_text=shared_text)
            if recovered:
                log.warning("marked %d answer(s) whose process stopped renewing its lease as interrupted",
                            recovered)
        except Exception:
            log.exception("turn leases could not be renewed")
