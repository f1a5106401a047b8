#!/usr/bin/env bash
# The GitHub Action's run step (action.yml): lint, annotate, optionally write SARIF, summarise.
#
# Inputs come as environment variables: INPUT_PATHS (whitespace-separated, default "."),
# INPUT_ARGS (extra `dlint check` arguments), INPUT_SARIF_FILE (write SARIF there when set),
# INPUT_FAIL_ON_FINDINGS ("true" or "false"). Outputs go to $GITHUB_OUTPUT (exit-code,
# findings, sarif-file), a summary to $GITHUB_STEP_SUMMARY, annotations to stdout.
#
# Exit status: 2 on a usage, I/O or configuration error (always); 1 when there are findings
# and INPUT_FAIL_ON_FINDINGS is "true"; 0 otherwise.
set -uo pipefail

read -r -a paths <<< "${INPUT_PATHS:-.}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
read -r -a extra <<< "${INPUT_ARGS:-}"
output="${GITHUB_OUTPUT:-/dev/null}"

lint() { # FORMAT: runs dlint over the inputs in that format
  dlint check --format "$1" ${extra[@]+"${extra[@]}"} "${paths[@]}"
}

# Annotations: workflow commands on stdout, which GitHub reads from the step's log.
status=0
lint github || status=$?

if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  mkdir -p "$(dirname "$INPUT_SARIF_FILE")"
  sarif_status=0
  lint sarif > "$INPUT_SARIF_FILE" || sarif_status=$?
  if [ "$sarif_status" -ge 2 ]; then status=2; fi
  echo "sarif-file=$INPUT_SARIF_FILE" >> "$output"
fi

concise="$(lint concise 2>/dev/null || true)"
if [ -n "$concise" ]; then
  findings="$(printf '%s\n' "$concise" | wc -l | tr -d ' ')"
else
  findings=0
fi
echo "findings=$findings" >> "$output"
echo "exit-code=$status" >> "$output"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### dlint"
    if [ "$findings" -eq 0 ]; then
      echo "No findings."
    else
      echo "$findings finding(s):"
      echo '```'
      printf '%s\n' "$concise" | head -n 200
      echo '```'
    fi
  } >> "$GITHUB_STEP_SUMMARY"
fi

if [ "$status" -ge 2 ]; then
  exit 2
elif [ "$status" -eq 1 ] && [ "${INPUT_FAIL_ON_FINDINGS:-true}" = "true" ]; then
  exit 1
fi
exit 0
