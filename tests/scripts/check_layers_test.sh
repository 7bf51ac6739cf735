#!/usr/bin/env bash
# check_layers.sh on small trees: an upward include (also from the top-level
# traffic/ seam) and an unlisted folder fail with the file and the folders
# named; a downward include passes.
set -euo pipefail
script=$(cd "$(dirname "$0")/../.." && pwd)/scripts/check_layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs" "$tmp/reconciler/low" "$tmp/reconciler/high" "$tmp/runtime" "$tmp/traffic"
cat > "$tmp/docs/ARCHITECTURE.md" <<'DOC'
<!-- layers:begin -->
- `low`
- `runtime`
- `traffic`
- `high`
<!-- layers:end -->
DOC
echo '#include "low/a.h"' > "$tmp/reconciler/high/b.cc"
echo '#include "low/a.h"' > "$tmp/runtime/r.h"
bash "$script" "$tmp" > /dev/null

echo '#include "high/b.h"' > "$tmp/reconciler/low/a.cc"
if out=$(bash "$script" "$tmp" 2>&1); then echo "an upward include passed" >&2; exit 1; fi
grep -qF 'reconciler/low/a.cc:1: low/ includes high/ ("high/b.h"), a higher folder' <<<"$out" ||
  { echo "unexpected: $out" >&2; exit 1; }
rm "$tmp/reconciler/low/a.cc"

echo '#include "high/b.h"' > "$tmp/traffic/t.h"
if out=$(bash "$script" "$tmp" 2>&1); then echo "an upward include from traffic/ passed" >&2; exit 1; fi
grep -qF 'traffic/t.h:1: traffic/ includes high/' <<<"$out" ||
  { echo "unexpected: $out" >&2; exit 1; }
rm "$tmp/traffic/t.h"

mkdir "$tmp/reconciler/stray"
if out=$(bash "$script" "$tmp" 2>&1); then echo "an unlisted folder passed" >&2; exit 1; fi
grep -qF 'reconciler/stray: folder not in the layer list' <<<"$out" ||
  { echo "unexpected: $out" >&2; exit 1; }
echo "check_layers_test: ok"
