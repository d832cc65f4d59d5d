#!/usr/bin/env bash
# End-to-end check of the Linux release bundle, run by hand or by the release workflow; it is
# NOT part of packaging/test.sh (it builds the real PyInstaller bundle: minutes).
#   1. builds the bundle with packaging/installers/linux/build.sh (the release path itself),
#   2. checks that the bundled llama.cpp libraries hold no AVX-512 or AMX instruction (x86_64),
#   3. runs the bundle's `warden demo --no-gui` and `warden ask` natively, then the same under
#      `qemu-x86_64 -cpu Haswell-v4`: an AVX2 CPU without AVX-512/AMX, the oldest the portable
#      llama.cpp build (packaging/llama-wheel.sh) promises to run on. A library compiled with
#      -march=native on a newer CPU dies there with SIGILL, as it did on users' machines.
# Prints the bundle's size and the time of each step; exits non-zero if any step fails or the
# model's answer is empty.
#
# Usage: bash packaging/bundle-test.sh [--no-build | --bundle DIR] [--no-qemu]
#   --no-build    test the bundle already in dist/pyinstaller/warden
#   --bundle DIR  test this bundle folder (e.g. an unpacked release tarball's warden/)
#   --no-qemu     skip the emulated runs (qemu-user older than 7.2 cannot emulate AVX2)
# Env: BUNDLE_TEST_MAX_TOKENS (default 16: the emulated CPU is slow), BUNDLE_TEST_QEMU_CPU
# (default Haswell-v4), BUNDLE_TEST_STEP_TIMEOUT (seconds per run, default 2400).
# Needs qemu-user and binutils (packaging/system-deps.sh installs both).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD=1
QEMU=1
BUNDLE="$REPO/dist/pyinstaller/warden"
while [ "$#" -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --bundle) BUILD=0; BUNDLE="$(readlink -f "${2:?--bundle needs a folder}")"; shift ;;
    --no-qemu) QEMU=0 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "bundle-test.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
  shift
done
[ "$(uname -s)" = Linux ] || { echo "bundle-test.sh: Linux only" >&2; exit 2; }
cd "$REPO"

MAX_TOKENS="${BUNDLE_TEST_MAX_TOKENS:-16}"
QEMU_CPU="${BUNDLE_TEST_QEMU_CPU:-Haswell-v4}"
STEP_TIMEOUT="${BUNDLE_TEST_STEP_TIMEOUT:-2400}"
ARCH="$(uname -m)"
[ "$ARCH" = x86_64 ] || QEMU=0 # the emulated CPU is an x86_64 one
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/warden-bundle-test.XXXXXX")"
SUMMARY=()
FAILED=0
T0=$EPOCHREALTIME

seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
note() { SUMMARY+=("$(printf '%-30s %s' "$1" "$2")"); }
fail() { echo "FAILED: $*" >&2; FAILED=1; }

# --- 1. build -------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  echo "== build: packaging/installers/linux/build.sh"
  t=$EPOCHREALTIME
  bash packaging/installers/linux/build.sh
  note "build (build.sh)" "$(seconds_since "$t") s"
fi
BUNDLE="$(readlink -f "$BUNDLE")" # the path the bootloader resolves (see the qemu runs)
PROGRAM="$BUNDLE/warden"
[ -x "$PROGRAM" ] || { echo "bundle-test.sh: no bundle program at $PROGRAM" >&2; exit 1; }
SIZE="$(du -sh "$BUNDLE" | cut -f1)"
echo "== bundle: $BUNDLE ($SIZE)"
note "bundle size (du -sh)" "$SIZE  $BUNDLE"

# --- 2. no AVX-512 / AMX in the bundled llama.cpp -------------------------------------------
if [ "$ARCH" = x86_64 ]; then
  echo "== instructions of the bundled llama.cpp libraries"
  command -v objdump >/dev/null || { echo "bundle-test.sh: needs objdump (binutils)" >&2; exit 1; }
  t=$EPOCHREALTIME
  mapfile -t libs < <(find "$BUNDLE" \( -name 'libggml*.so*' -o -name 'libllama.so*' \) -type f | sort)
  bad=0
  [ "${#libs[@]}" -gt 0 ] || { fail "no libggml*/libllama shared library in the bundle"; bad=1; }
  for lib in "${libs[@]}"; do
    # zmm registers: AVX-512; tileloadd/tdpb*: AMX. ymm (AVX/AVX2) is expected in libggml-cpu.
    objdump -d --no-show-raw-insn "$lib" >"$LOGS/disassembly"
    wide="$(grep -cE 'zmm|tileloadd|tdpb' "$LOGS/disassembly" || true)"
    ymm="$(grep -c 'ymm' "$LOGS/disassembly" || true)"
    printf '  %-40s AVX-512/AMX %s, ymm %s\n' "${lib#"$BUNDLE"/}" "$wide" "$ymm"
    [ "$wide" = 0 ] || { fail "${lib#"$BUNDLE"/} holds $wide AVX-512/AMX instructions"; bad=1; }
  done
  rm -f "$LOGS/disassembly"
  if [ "$bad" = 0 ]; then
    note "AVX-512/AMX instructions" "0 in ${#libs[@]} libraries ($(seconds_since "$t") s)"
  else
    note "AVX-512/AMX instructions" "FAILED (see above)"
  fi
fi

# --- 3. runs --------------------------------------------------------------------------------
# run LABEL KIND [PREFIX...] -- ARGS...: runs the bundle's program in a fresh WARDEN_HOME, times
# it, and checks its exit status (and, for ask, that the answer is not empty).
run() {
  local label="$1" kind="$2"
  shift 2
  local prefix=()
  while [ "$1" != -- ]; do prefix+=("$1"); shift; done
  shift
  local home log rc secs
  home="$(mktemp -d "$LOGS/home.XXXXXX")"
  log="$LOGS/${label// /_}"
  echo "== $label: ${prefix[*]:+${prefix[*]} }warden $*"
  local t=$EPOCHREALTIME
  set +e
  env QT_QPA_PLATFORM=offscreen WARDEN_HOME="$home" \
    timeout "$STEP_TIMEOUT" "${prefix[@]}" "$PROGRAM" "$@" >"$log.out" 2>"$log.err"
  rc=$?
  set -e
  secs="$(seconds_since "$t")"
  if [ "$rc" != 0 ]; then
    fail "$label exited with $rc after $secs s; its last output:"
    tail -n 25 "$log.out" "$log.err" >&2
    note "$label" "$secs s  FAILED (exit $rc)"
    return
  fi
  if [ "$kind" = ask ]; then
    # The answer is what streamed to stdout, less the note about the token limit.
    local answer
    answer="$(grep -v '^\[stopped at the ' "$log.out" | tr '\n' ' ' | sed 's/  */ /g; s/^ //; s/ $//')"
    if [ -z "${answer//[[:space:]]/}" ]; then
      fail "$label: the model's answer is empty"
      cat "$log.err" >&2
      note "$label" "$secs s  FAILED (empty answer)"
      return
    fi
    echo "  answer: $answer"
    note "$label" "$secs s  ok: \"${answer:0:60}\""
  else
    tail -n 3 "$log.out" | sed 's/^/  /'
    note "$label" "$secs s  ok"
  fi
}

ASK=(ask "Say hi." --max-tokens "$MAX_TOKENS" --timeout "$STEP_TIMEOUT")
run "native demo --no-gui" demo -- demo --no-gui
run "native ask" ask -- "${ASK[@]}"

if [ "$QEMU" = 1 ]; then
  command -v qemu-x86_64 >/dev/null || {
    echo "bundle-test.sh: needs qemu-x86_64 (Debian: qemu-user), or pass --no-qemu" >&2
    exit 1
  }
  # TCG emulates AVX/AVX2/FMA/F16C only from QEMU 7.2 on; an older one would drop them from
  # the CPU model and the portable library would die for a reason that is not its own.
  qv="$(qemu-x86_64 --version | sed -n 's/.*version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')"
  if [ "$(printf '%s\n7.2\n' "$qv" | sort -V | head -1)" != 7.2 ]; then
    echo "bundle-test.sh: qemu-x86_64 $qv cannot emulate AVX2 (needs 7.2+); use --no-qemu" >&2
    exit 1
  fi
  # qemu-user emulates only the process it starts: an execve() runs natively. PyInstaller's
  # one-folder bootloader on Linux execs itself once, to put _internal/ on LD_LIBRARY_PATH, so
  # a plain `qemu-x86_64 warden` would run Python and llama.cpp on the real CPU (and pass in
  # native time). The guest is given the environment the restarted bootloader would see
  # (bootloader/src/pyi_main.c: the same archive, process level -1 = "needs restart" done),
  # and it starts Python in the emulated process; -E sets it for the guest alone, not qemu.
  contents="$BUNDLE/_internal"
  [ -d "$contents" ] || contents="$BUNDLE"
  case "$(readlink -f "$PROGRAM")" in *,*)
    echo "bundle-test.sh: qemu -E cannot pass a path with a comma: $PROGRAM" >&2
    exit 1 ;;
  esac
  Q=(qemu-x86_64 -cpu "$QEMU_CPU"
    -E "_PYI_ARCHIVE_FILE=$(readlink -f "$PROGRAM")" -E "_PYI_PARENT_PROCESS_LEVEL=-1"
    -E "LD_LIBRARY_PATH=$contents")
  # Proof, on a quick run, that nothing leaves the emulator (no execve in qemu's -strace)
  # and that the emulated CPU kept AVX/AVX2/FMA/F16C/BMI2 (qemu warns of each one it drops).
  echo "== qemu $QEMU_CPU: warden --help under -strace (no native re-exec)"
  t=$EPOCHREALTIME
  set +e
  env WARDEN_HOME="$(mktemp -d "$LOGS/home.XXXXXX")" timeout "$STEP_TIMEOUT" \
    "${Q[@]}" -strace "$PROGRAM" --help >"$LOGS/qemu-strace.out" 2>"$LOGS/qemu-strace.err"
  rc=$?
  set -e
  execs="$(grep -c 'execve(' "$LOGS/qemu-strace.err" || true)"
  dropped="$(grep -oE "TCG doesn't support requested feature: [^ ]+\.(avx|avx2|fma|f16c|bmi2) " \
    "$LOGS/qemu-strace.err" | sort -u | sed 's/.*feature: //' | tr '\n' ' ' || true)"
  if [ "$rc" != 0 ]; then
    fail "warden --help under qemu exited with $rc"
    tail -n 25 "$LOGS/qemu-strace.err" >&2
    note "qemu: stays emulated" "FAILED (exit $rc)"
  elif [ "$execs" != 0 ]; then
    fail "the bundle re-executed itself under qemu ($execs execve): its runs would be native"
    note "qemu: stays emulated" "FAILED ($execs execve)"
  elif [ -n "$dropped" ]; then
    fail "qemu's $QEMU_CPU lacks features the portable build needs: $dropped"
    note "qemu: stays emulated" "FAILED (no $dropped)"
  else
    note "qemu: stays emulated" "ok: no execve, AVX2/FMA/F16C kept ($(seconds_since "$t") s)"
  fi
  run "qemu $QEMU_CPU demo --no-gui" demo "${Q[@]}" -- demo --no-gui
  run "qemu $QEMU_CPU ask" ask "${Q[@]}" -- "${ASK[@]}"
else
  note "emulated runs" "skipped (--no-qemu or not x86_64)"
fi

note "total" "$(seconds_since "$T0") s"
echo
echo "== summary (logs in $LOGS)"
printf '%s\n' "${SUMMARY[@]}"
if [ "$FAILED" != 0 ]; then
  echo "bundle-test.sh: FAILED" >&2
  exit 1
fi
echo "bundle-test.sh: all passed"
