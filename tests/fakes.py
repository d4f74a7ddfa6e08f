"""The fake model server (bench/fake_provider.py) as a test fixture: a real process on loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


class FakeProvider:
    def __init__(self, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "fake_provider.py"), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"fake provider did not start: {line!r}")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}"

    def control(self, **settings: object) -> None:
        httpx.post(f"{self.url}/_control", json=settings, timeout=5).raise_for_status()

    def reset(self) -> None:
        httpx.post(f"{self.url}/_control/reset", timeout=5).raise_for_status()

    def log(self) -> list[dict]:
        return httpx.get(f"{self.url}/_control/log", timeout=5).json()["requests"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
