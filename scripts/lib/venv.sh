# Shared by scripts/run and scripts/test: a project-local virtualenv holding exactly what the
# calling command needs, whichever command ran first.
#
#   ensure_venv ""            the service alone
#   ensure_venv test          the service and the test tools
#   ensure_venv test,bench    several extras of pyproject.toml at once
#
# Each set of extras has its own stamp, .venv/.installed-<extras>, holding a hash of
# pyproject.toml: a set is (re)installed when its stamp is missing or pyproject.toml changed
# since. The stamp is written only after pip succeeded, so an interrupted install is redone.
ensure_venv() {
  local extras="${1:-}"
  local python="${PYTHON:-python3}"
  local stamp=".venv/.installed-${extras:-base}"
  stamp="${stamp//,/-}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Tutor needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  local wanted
  wanted="$(.venv/bin/python -c 'import hashlib, sys; print(hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest())')"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing Tutor${extras:+ with $extras} into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
    .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
    echo "$wanted" > "$stamp"
  fi
}
