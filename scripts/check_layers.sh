#!/usr/bin/env bash
# check_layers.sh: fails when a file includes a header of a higher folder.
#
# The folder order is the list between the `layers:begin` and `layers:end`
# markers of docs/ARCHITECTURE.md, lowest first, one folder per line (`- name`).
# A folder is reconciler/NAME, or one of the top-level seams with their
# implementations: runtime (runtime/) and traffic (traffic/). A file in folder F may include headers of F and of
# folders listed before F, never of one listed after it. A folder missing from
# the list is an error too, so a new folder is placed on purpose.
# Run by ctest (test `layers`), so scripts/test.sh and CI run it.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
doc=$root/docs/ARCHITECTURE.md
[ -f "$doc" ] || { echo "check_layers: $doc is missing" >&2; exit 1; }

declare -A rank
n=0
while read -r name; do
  rank[$name]=$n
  n=$((n + 1))
done < <(sed -n '/<!-- layers:begin -->/,/<!-- layers:end -->/p' "$doc" |
         sed -n 's/^- `\{0,1\}\([a-z_]*\)`\{0,1\}.*/\1/p')
[ "$n" -gt 0 ] || { echo "check_layers: no folder list between the layers markers in $doc" >&2; exit 1; }

folder_of() {  # path relative to root -> its folder name
  case $1 in
    runtime/*) echo runtime ;;
    traffic/*) echo traffic ;;
    reconciler/*) local rest=${1#reconciler/}; echo "${rest%%/*}" ;;
  esac
}

fail=0
for dir in "$root"/reconciler/*/; do
  name=$(basename "$dir")
  if [ -z "${rank[$name]+x}" ]; then
    echo "reconciler/$name: folder not in the layer list of docs/ARCHITECTURE.md" >&2
    fail=1
  fi
done
cd "$root"
while IFS=: read -r file line text; do
  from=$(folder_of "$file")
  to=$(sed -n 's/^#include "\([a-z_]*\)\/.*/\1/p' <<<"$text")
  [ -n "$from" ] && [ -n "$to" ] && [ -n "${rank[$from]+x}" ] && [ -n "${rank[$to]+x}" ] || continue
  if [ "${rank[$to]}" -gt "${rank[$from]}" ]; then
    echo "$file:$line: $from/ includes $to/ (${text#\#include }), a higher folder in docs/ARCHITECTURE.md" >&2
    fail=1
  fi
done < <(grep -rnE '^#include "[a-z_]+/' reconciler runtime traffic --include='*.h' --include='*.cc' 2>/dev/null)
[ "$fail" = 0 ] && echo "check_layers: every include runs downwards (${n} folders)"
exit "$fail"
