# Shared by scripts/run and scripts/test: a project-local virtualenv, reinstalled only when
# pyproject.toml changes (or the extras asked for differ).
ensure_venv() {
  local extras="$1" python="${PYTHON:-python3}" stamp=".venv/.installed${extras:+-$extras}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Tutor needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
    exit 1
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "Installing Tutor into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
    .venv/bin/python -m pip install --quiet -e ".${extras:+[$extras]}"
    touch "$stamp"
  fi
}
