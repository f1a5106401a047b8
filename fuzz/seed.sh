#!/bin/sh
# Copies the shared Dockerfile corpus and the conformance files into fuzz/corpus/<target>/ as
# seeds (the copies are not committed). Usage: fuzz/seed.sh [SHARED_DIR], default ../shared.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${1:-$here/../../shared}
for target in parse shell lint_fix; do
    dir=$here/corpus/$target
    mkdir -p "$dir"
    # Names from the path, so files called `Dockerfile` in different folders do not collide.
    find "$shared/corpus/real" "$shared/conformance" -type f ! -name '*.jsonl' ! -name LICENSE ! -name SOURCE ! -name result | while read -r file; do
        name=$(printf '%s' "${file#"$shared"/}" | tr '/' '_')
        cp "$file" "$dir/$name"
    done
    # Earlier crash inputs are seeds too.
    if [ -d "$here/../tests/fuzz_regressions/$target" ]; then
        cp "$here/../tests/fuzz_regressions/$target"/* "$dir"/ 2>/dev/null || true
    fi
done
ls "$here/corpus/parse" | wc -l | xargs printf 'seeded %s files per target\n'
