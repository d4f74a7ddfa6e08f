"""`scripts/lib/venv.sh`: each command gets exactly the extras it needs, whichever ran first.

The helper is run for real by bash in a copy of the project; only the Python it is given is a
stand-in, one that creates a `.venv/bin/python` which records every `pip install` instead of
downloading (the version check and the hash of pyproject.toml run on the real interpreter).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FAKE_PYTHON = """#!/usr/bin/env bash
# Stands in for python3: `-m venv DIR` makes DIR/bin/python, which logs pip and runs the rest.
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  cat > "$3/bin/python" <<'EOF'
#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  echo "${*:3}" >> "$PIP_LOG"
  case " $* " in *" -e "*) [ -z "$PIP_FAILS" ] || exit 1 ;; esac
  exit 0
fi
exec "$REAL_PYTHON" "$@"
EOF
  chmod +x "$3/bin/python"
  exit 0
fi
exec "$REAL_PYTHON" "$@"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    (copy / "scripts" / "lib").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "lib" / "venv.sh", copy / "scripts" / "lib" / "venv.sh")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    return copy


def ensure(project: Path, extras: str, *, fail: bool = False) -> tuple[int, list[str]]:
    """Run `ensure_venv EXTRAS` in the copy; its exit code and the pip installs it asked for."""
    log = project.parent / "pip.log"
    log.unlink(missing_ok=True)
    env = {**os.environ, "PYTHON": str(project.parent / "python3"), "REAL_PYTHON": sys.executable,
           "PIP_LOG": str(log), "PIP_FAILS": "1" if fail else ""}
    result = subprocess.run(["bash", "-c", 'set -euo pipefail; source scripts/lib/venv.sh; ensure_venv "$1"',
                             "_", extras], cwd=project, env=env, capture_output=True, text=True, timeout=60)
    installs = [line for line in log.read_text().splitlines() if "-e" in line.split()] if log.exists() else []
    return result.returncode, installs


def test_the_test_extras_are_installed_after_the_service_alone(project: Path) -> None:
    assert ensure(project, "") == (0, ["install --quiet -e ."])
    assert ensure(project, "test") == (0, ["install --quiet -e .[test]"])
    # Both sets are now in place: neither command reinstalls anything.
    assert ensure(project, "") == (0, [])
    assert ensure(project, "test") == (0, [])


def test_the_service_alone_after_the_tests(project: Path) -> None:
    assert ensure(project, "test") == (0, ["install --quiet -e .[test]"])
    assert ensure(project, "") == (0, ["install --quiet -e ."])
    assert ensure(project, "test") == (0, [])


def test_a_changed_pyproject_reinstalls_each_set_once(project: Path) -> None:
    ensure(project, "")
    ensure(project, "test")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"pytest>=8.3"', '"pytest>=8.3", "pexpect>=4.9"'))
    assert ensure(project, "test") == (0, ["install --quiet -e .[test]"])
    assert ensure(project, "test") == (0, [])
    assert ensure(project, "") == (0, ["install --quiet -e ."])


def test_an_install_that_failed_is_tried_again(project: Path) -> None:
    code, installs = ensure(project, "test", fail=True)
    assert code != 0 and installs == ["install --quiet -e .[test]"]
    assert ensure(project, "test") == (0, ["install --quiet -e .[test]"])
    assert ensure(project, "test") == (0, [])


def test_several_extras_at_once_have_their_own_stamp(project: Path) -> None:
    ensure(project, "test")
    assert ensure(project, "test,bench") == (0, ["install --quiet -e .[test,bench]"])
    assert ensure(project, "test,bench") == (0, [])
    assert ensure(project, "test") == (0, [])
