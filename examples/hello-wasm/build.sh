#!/usr/bin/env bash
# Builds hello.wasm (a WASI preview 1 command) from hello.c with the Swift toolchain's clang.
# Needs the Debian packages wasi-libc (the WASI sysroot: /usr/include/wasm32-wasi, /usr/lib/wasm32-wasi) and
# libclang-rt-14-dev-wasm32 (compiler-rt builtins for wasm32). The toolchain's clang looks for the builtins in its
# own resource directory, where they are not, so the default libraries are turned off (-nodefaultlibs) and libc
# and the builtins archive are named explicitly.
set -euo pipefail
cd "$(dirname "$0")"

builtins=$(ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a 2>/dev/null | sort -V | tail -n 1 || true)
if [ ! -d /usr/lib/wasm32-wasi ] || [ -z "$builtins" ]; then
    echo "build.sh: install wasi-libc and libclang-rt-14-dev-wasm32 (apt-get install -y wasi-libc libclang-rt-14-dev-wasm32)" >&2
    exit 1
fi

clang --target=wasm32-wasi --sysroot=/usr -Os -Wl,--strip-all \
    -nodefaultlibs hello.c -lc "$builtins" \
    -o hello.wasm
echo "built $(pwd)/hello.wasm"
