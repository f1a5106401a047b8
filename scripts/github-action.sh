#!/usr/bin/env bash
# The GitHub Action's run step (action.yml): ONE dlint run writes the annotations (stdout), the
# list for the step summary and, when asked, SARIF.
#
# Inputs come as environment variables:
#   INPUT_PATHS            files or directories, one per line (a name may hold spaces); default "."
#   INPUT_PATHS_FILE       a file of NUL-separated paths (`git ls-files -z`), for any name at all
#   INPUT_ARGS             more `dlint check` arguments, separated by whitespace
#   INPUT_SARIF_FILE       write SARIF there when set
#   INPUT_FAIL_ON_FINDINGS "true" (default) or "false"
#   DLINT_BIN              the dlint to run (default: `dlint` on PATH)
# Outputs go to $GITHUB_OUTPUT (exit-code, findings, sarif-file), a summary to
# $GITHUB_STEP_SUMMARY, annotations to stdout.
#
# Everything that comes from the repository (file names, file text, error messages) is data:
# dlint escapes its own workflow commands; its error messages are printed with workflow
# commands stopped, the summary shows text only inside an HTML-escaped <pre>, and outputs are
# written with random delimiters.
#
# Exit status: 2 on a usage, I/O or configuration error (always); 1 when there are findings
# and INPUT_FAIL_ON_FINDINGS is "true"; 0 otherwise.
set -uo pipefail
# `&` in a ${text//x/y} replacement is literal text here (bash 5.2 reads it as the match).
shopt -u patsub_replacement 2>/dev/null || true

dlint="${DLINT_BIN:-dlint}"
output="${GITHUB_OUTPUT:-/dev/null}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A token nobody can guess: the end marker of stopped commands and of multi-line outputs.
token() { printf 'dlint-%s' "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"; }

# The data part of a workflow command (as the Actions toolkit escapes it).
escape_data() {
  local text="$1"
  text="${text//%/%25}"
  text="${text//$'\r'/%0D}"
  text="${text//$'\n'/%0A}"
  printf '%s' "$text"
}

# Text for HTML (the summary shows file names and messages only inside <pre>).
escape_html() {
  local text="$1"
  text="${text//&/&amp;}"
  text="${text//</&lt;}"
  text="${text//>/&gt;}"
  printf '%s' "$text"
}

# NAME VALUE: a step output, whatever VALUE holds.
set_output() {
  local delimiter
  delimiter="$(token)"
  printf '%s<<%s\n%s\n%s\n' "$1" "$delimiter" "$2" "$delimiter" >> "$output"
}

paths=()
if [ -n "${INPUT_PATHS_FILE:-}" ]; then
  while IFS= read -r -d '' path; do
    [ -n "$path" ] && paths+=("$path")
  done < "$INPUT_PATHS_FILE"
fi
while IFS= read -r path; do
  path="${path%$'\r'}"
  # Surrounding blanks are YAML indentation, not part of a name.
  path="${path#"${path%%[![:space:]]*}"}"
  path="${path%"${path##*[![:space:]]}"}"
  [ -n "$path" ] && paths+=("$path")
done <<< "${INPUT_PATHS:-}"
if [ "${#paths[@]}" -eq 0 ] && [ -z "${INPUT_PATHS_FILE:-}" ]; then
  paths=(.)
fi
# Words on every line (a YAML block may spread them over several).
read -r -d '' -a extra <<< "${INPUT_ARGS:-}" || true

reports=(--report "concise=$work/findings.txt")
if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  mkdir -p -- "$(dirname -- "$INPUT_SARIF_FILE")"
  reports+=(--report "sarif=$INPUT_SARIF_FILE")
fi

status=0
if [ "${#paths[@]}" -gt 0 ]; then
  NO_COLOR=1 "$dlint" check --format github "${reports[@]}" ${extra[@]+"${extra[@]}"} -- \
    "${paths[@]}" > "$work/annotations.txt" 2> "$work/errors.txt" || status=$?
else
  # An empty paths file: nothing to lint is not an error.
  : > "$work/annotations.txt"
  : > "$work/errors.txt"
  : > "$work/findings.txt"
fi
[ -f "$work/findings.txt" ] || : > "$work/findings.txt"

# dlint's annotations: its workflow commands are escaped where they are made.
cat "$work/annotations.txt"
errors="$(cat "$work/errors.txt")"
if [ -n "$errors" ]; then
  # dlint's messages name files and quote configuration: shown as plain text, never obeyed.
  stop="$(token)"
  echo "::stop-commands::$stop"
  printf '%s\n' "$errors"
  echo "::$stop::"
fi
if [ "$status" -ge 2 ]; then
  echo "::error title=dlint failed::$(escape_data "dlint exited with status $status:
$errors")"
fi

findings="$(wc -l < "$work/findings.txt" | tr -d ' ')"
not_annotated="$(grep -c '^dlint: ' "$work/annotations.txt" || true)"
echo "findings=$findings" >> "$output"
echo "exit-code=$status" >> "$output"
if [ -n "${INPUT_SARIF_FILE:-}" ]; then
  set_output sarif-file "$INPUT_SARIF_FILE"
fi

# The summary: at most this many findings (GitHub takes 1 MiB per step summary).
shown=500
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  {
    echo "### dlint"
    echo
    if [ "$status" -ge 2 ]; then
      echo "**dlint failed** (exit status $status): a configuration, usage or I/O error; the findings below may be incomplete."
      echo
      echo "<pre>"
      escape_html "$errors"
      echo
      echo "</pre>"
      echo
    fi
    if [ "$findings" -eq 0 ]; then
      [ "$status" -ge 2 ] || echo "No findings."
    else
      echo "$findings finding(s):"
      echo
      echo "<pre>"
      escape_html "$(head -n "$shown" "$work/findings.txt")"
      echo
      echo "</pre>"
      if [ "$findings" -gt "$shown" ]; then
        echo
        echo "… and $((findings - shown)) more: all are in the step's log."
      fi
      if [ "$not_annotated" -gt 0 ]; then
        echo
        echo "$not_annotated finding(s) are not annotations: GitHub shows 10 annotations of each kind per step. The log lists them (lines starting with \`dlint:\`)."
      fi
    fi
  } >> "$GITHUB_STEP_SUMMARY"
fi

if [ "$status" -ge 2 ]; then
  exit 2
elif [ "$status" -eq 1 ] && [ "${INPUT_FAIL_ON_FINDINGS:-true}" = "true" ]; then
  exit 1
fi
exit 0
