#!/usr/bin/env bash
# The build lab (lab/README.md): builds the local image farm (cached outside the clone), then
# builds every app's original Dockerfile and dlint's `--fix --unsafe-fixes` rewrite, and runs
# each app's smoke test on both. Fails when an original or a rewrite fails to build or its
# smoke test. Skips, saying why, only when the Docker daemon cannot be had.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "ci-lab: checking docker, dockerd, debootstrap, curl, python3"
missing=()
[ -x /usr/bin/docker ] && command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "ci-lab: installing ${missing[*]}"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${missing[@]}"; } >/tmp/dlint-ci-lab-apt.log 2>&1; then
        tail -20 /tmp/dlint-ci-lab-apt.log
        if [[ " ${missing[*]} " == *" docker.io "* ]]; then
            echo "ci-lab: SKIPPED: docker.io could not be installed from the Debian registry"
            exit 0
        fi
        echo "ci-lab: could not install ${missing[*]}"
        exit 1
    fi
fi
export DOCKER=/usr/bin/docker

started_dockerd=""
if ! "$DOCKER" info >/dev/null 2>&1; then
    echo "ci-lab: starting dockerd"
    dockerd --storage-driver overlay2 >/tmp/dlint-ci-dockerd.log 2>&1 &
    started_dockerd=$!
    for _ in $(seq 60); do
        "$DOCKER" info >/dev/null 2>&1 && break
        kill -0 "$started_dockerd" 2>/dev/null || break
        sleep 1
    done
    if ! "$DOCKER" info >/dev/null 2>&1; then
        tail -20 /tmp/dlint-ci-dockerd.log || true
        echo "ci-lab: SKIPPED: dockerd could not start (see the log above)"
        exit 0
    fi
fi
stop_dockerd() {
    if [ -n "$started_dockerd" ]; then
        kill "$started_dockerd" 2>/dev/null || true
        wait "$started_dockerd" 2>/dev/null || true
    fi
}
trap stop_dockerd EXIT
echo "ci-lab: docker $("$DOCKER" version --format '{{.Server.Version}}') is up"

echo "ci-lab: building the image farm (lab/farm/build)"
farm_start=$SECONDS
lab/farm/build
echo "ci-lab: farm ready in $((SECONDS - farm_start)) s"

if [ ! -x target/debug/dlint ]; then
    echo "ci-lab: building dlint"
    cargo build --quiet
fi

if ! compgen -G "lab/apps/*/Dockerfile" >/dev/null; then
    echo "ci-lab: no apps in lab/apps: nothing to run"
    exit 0
fi
echo "ci-lab: running the lab (lab/run --keep-going)"
lab/run --keep-going --dlint target/debug/dlint
