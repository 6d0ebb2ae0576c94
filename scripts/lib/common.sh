# shellcheck shell=bash
# Helpers shared by scripts/*: source it, do not run it.
#   ensure_system_packages [extra-pkg...]   dpkg check; apt-get install when root
#   ensure_venv                             .build/venv with the pinned Python tools (schemathesis,
#                                           openapi-spec-validator, aiosmtpd for swift test)
#   free_port                               prints a free loopback TCP port
#   wait_ready URL TIMEOUT [PID LOG]        polls URL until 200, else fails with LOG's tail
#   stop_process PID TIMEOUT                SIGTERM, wait; returns the exit status (124: timed out, killed)
#   build_fjern_release                     swift build -c release --product fjern
#   start_fjern PORT DATA_DIR LOG [flag...] fjern serve on 127.0.0.1:PORT in the background,
#                                           sets FJERN_PID, waits for /readyz
set -euo pipefail

FJERN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FJERN_VENV="$FJERN_ROOT/.build/venv"
FJERN_BIN="$FJERN_ROOT/.build/release/fjern"

# Pinned Python tools (PyPI). Bump deliberately; ensure_venv reinstalls when they differ.
SCHEMATHESIS_VERSION=4.32.5
OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0
# The SMTP peer of Tests/CurlTests and Tests/OutboundTests (Tests/Peers/smtp_peer.py).
AIOSMTPD_VERSION=1.4.6

# openssl (the command): the Curl and Outbound tests make self-signed certificates with it.
FJERN_SYSTEM_PACKAGES=(libsqlite3-dev libssl-dev libcurl4-openssl-dev pkg-config tzdata openssl)

_stage_n=0
_script_start=$(date +%s)
log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# stage TITLE: a numbered, timed heading.
stage() {
    _stage_n=$((_stage_n + 1))
    printf '\n==> [%d] %s  (+%ds)\n' "$_stage_n" "$*" "$(($(date +%s) - _script_start))" >&2
}
elapsed() { echo "$(($(date +%s) - _script_start))s"; }

_apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"
}

# True when the package is installed (not merely known to dpkg, e.g. config-files left).
_dpkg_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

ensure_system_packages() {
    local pkg missing=()
    for pkg in "${FJERN_SYSTEM_PACKAGES[@]}" "$@"; do
        _dpkg_installed "$pkg" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            log "Missing system packages (${missing[*]}). Install them with:"
            echo "sudo apt-get install -y ${missing[*]}"
            exit 1
        fi
        log "Installing system packages: ${missing[*]}"
        if ! _apt_get install -y --no-install-recommends "${missing[@]}"; then
            log "apt-get install failed; refreshing the package lists once and retrying"
            _apt_get update
            _apt_get install -y --no-install-recommends "${missing[@]}"
        fi
    fi
    command -v swift >/dev/null || die "swift is not on PATH (Swift 6.x toolchain required)"
    command -v curl >/dev/null || die "curl is not on PATH"
}

# True when the venv's Python runs and has exactly the pinned versions.
_venv_current() {
    [ -x "$FJERN_VENV/bin/python" ] || return 1
    "$FJERN_VENV/bin/python" - "$SCHEMATHESIS_VERSION" "$OPENAPI_SPEC_VALIDATOR_VERSION" "$AIOSMTPD_VERSION" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version, PackageNotFoundError
want = {"schemathesis": sys.argv[1], "openapi-spec-validator": sys.argv[2], "aiosmtpd": sys.argv[3]}
try:
    sys.exit(0 if all(version(k) == v for k, v in want.items()) else 1)
except PackageNotFoundError:
    sys.exit(1)
EOF
}

ensure_venv() {
    _venv_current && return 0
    command -v python3 >/dev/null || ensure_system_packages python3
    if [ ! -x "$FJERN_VENV/bin/python" ] || ! "$FJERN_VENV/bin/python" -c '' 2>/dev/null; then
        log "Creating $FJERN_VENV"
        rm -rf "$FJERN_VENV"
        mkdir -p "$(dirname "$FJERN_VENV")"
        if ! python3 -m venv "$FJERN_VENV" 2>/dev/null; then
            rm -rf "$FJERN_VENV"
            ensure_system_packages python3-venv
            python3 -m venv "$FJERN_VENV"
        fi
    fi
    log "Installing schemathesis==$SCHEMATHESIS_VERSION openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION aiosmtpd==$AIOSMTPD_VERSION into $FJERN_VENV"
    "$FJERN_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "schemathesis==$SCHEMATHESIS_VERSION" \
        "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION" \
        "aiosmtpd==$AIOSMTPD_VERSION"
    _venv_current || die "the venv at $FJERN_VENV does not have the pinned versions after installing"
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_ready URL TIMEOUT_SECONDS [PID LOGFILE]
# Polls URL until it answers 200. Fails early if PID exits; on failure prints LOGFILE's tail.
wait_ready() {
    local url=$1 timeout=$2 pid=${3:-} logfile=${4:-} code deadline
    deadline=$(($(date +%s) + timeout))
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null) || true
        [ "$code" = 200 ] && return 0
        if [ -n "$pid" ] && ! _alive "$pid"; then
            log "error: the server (pid $pid) exited before $url answered 200"
            break
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            log "error: $url did not answer 200 within ${timeout}s (last status: ${code:-none})"
            break
        fi
        sleep 0.1
    done
    if [ -n "$logfile" ] && [ -f "$logfile" ]; then
        log "--- last 30 lines of $logfile ---"
        tail -n 30 "$logfile" >&2
        log "---"
    fi
    return 1
}

# True while PID runs (a zombie child that has exited counts as gone).
_alive() {
    local state
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# stop_process PID TIMEOUT_SECONDS: SIGTERM, then wait up to TIMEOUT for the exit.
# Returns the process's exit status (it must be a child of this shell), or 124 after
# killing it with SIGKILL when it did not stop in time.
stop_process() {
    local pid=$1 timeout=$2 deadline rc=0
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$(($(date +%s) + timeout))
    while _alive "$pid"; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
            return 124
        fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}

build_fjern_release() {
    (cd "$FJERN_ROOT" && swift build -c release --product fjern)
    [ -x "$FJERN_BIN" ] || die "swift build did not produce $FJERN_BIN"
}

# start_fjern PORT DATA_DIR LOG [flag...]: runs `fjern serve` on 127.0.0.1:PORT as a child
# of this shell with stdout and stderr in LOG, sets FJERN_PID and waits for GET /readyz.
start_fjern() {
    local port=$1 data_dir=$2 logfile=$3
    shift 3
    mkdir -p "$data_dir"
    "$FJERN_BIN" serve --addr "127.0.0.1:$port" --data-dir "$data_dir" "$@" >"$logfile" 2>&1 &
    FJERN_PID=$!
    wait_ready "http://127.0.0.1:$port/readyz" "${FJERN_READY_TIMEOUT:-60}" "$FJERN_PID" "$logfile" \
        || die "fjern did not become ready on 127.0.0.1:$port"
}
