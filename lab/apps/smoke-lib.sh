# Shared helpers for the apps' `smoke` scripts (sourced, not run).
# A smoke test runs only the image's own ENTRYPOINT/CMD (images may have no shell), checks
# the answer against an expected value, and always removes the container it started.
set -euo pipefail

SMOKE_TIMEOUT=${SMOKE_TIMEOUT:-60} # seconds a server may take to answer

smoke_fail() {
    echo "smoke: FAIL: $*" >&2
    exit 1
}

# expect_output IMAGE EXPECTED [docker run args... --] [command args...]
# Runs the image once (no network needed) and checks that its stdout contains EXPECTED.
expect_output() {
    local image=$1 expected=$2
    shift 2
    local out
    if ! out=$(timeout "$SMOKE_TIMEOUT" docker run --rm "$image" "$@" 2>&1); then
        printf '%s\n' "$out" >&2
        smoke_fail "$image exited non-zero"
    fi
    printf '%s\n' "$out"
    grep -qF -- "$expected" <<<"$out" || smoke_fail "output lacks '$expected'"
    echo "smoke: ok ($image printed '$expected')"
}

# start_server IMAGE PORT [docker run args...]
# Starts the image detached with PORT published on 127.0.0.1 and sets SMOKE_CID and
# SMOKE_ADDR (host:port). The container is removed when the script exits.
start_server() {
    local image=$1 port=$2
    shift 2
    SMOKE_CID=$(docker run -d -p "127.0.0.1::$port" "$@" "$image")
    trap 'docker rm -f "$SMOKE_CID" >/dev/null 2>&1 || true' EXIT
    SMOKE_ADDR=$(docker port "$SMOKE_CID" "$port/tcp" 2>/dev/null | grep -m1 '^127\.0\.0\.1:' || true)
    if [ -z "$SMOKE_ADDR" ]; then
        # No published port (no docker-proxy): talk to the container on the bridge network.
        local ip
        ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$SMOKE_CID")
        SMOKE_ADDR="$ip:$port"
    fi
}

# get URL-PATH [curl args...]: GETs from the started server, retrying while it starts up;
# prints the body. Fails when the container stops or the time runs out.
get() {
    local path=$1
    shift
    local deadline=$((SECONDS + SMOKE_TIMEOUT)) body scheme=${SMOKE_SCHEME:-http}
    while :; do
        if body=$(curl -fsS --max-time 5 "$@" "$scheme://$SMOKE_ADDR$path" 2>/dev/null); then
            printf '%s' "$body"
            return 0
        fi
        if [ "$(docker inspect -f '{{.State.Running}}' "$SMOKE_CID" 2>/dev/null)" != true ]; then
            docker logs "$SMOKE_CID" >&2 || true
            smoke_fail "container stopped before answering $path"
        fi
        if [ $SECONDS -ge $deadline ]; then
            docker logs "$SMOKE_CID" >&2 || true
            smoke_fail "no answer on $path within ${SMOKE_TIMEOUT}s"
        fi
        sleep 0.5
    done
}

# expect_get PATH EXPECTED [curl args...]: GET PATH and check that the body contains EXPECTED.
expect_get() {
    local path=$1 expected=$2
    shift 2
    local body
    body=$(get "$path" "$@")
    printf '%s\n' "$body"
    grep -qF -- "$expected" <<<"$body" || {
        docker logs "$SMOKE_CID" >&2 || true
        smoke_fail "GET $path lacks '$expected'"
    }
    echo "smoke: ok (GET $path answered '$expected')"
}
