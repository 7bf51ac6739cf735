#!/usr/bin/env bash
# One hostile-input test: builds a source from base/ plus cases/NAME/ in a
# scratch directory, lets cases/NAME/setup.sh add what git cannot hold
# (symlinks, FIFOs, sparse files, unreadable files), runs
# `stowage validate [--policy FILE] NAME` there and compares its output (stdout
# and stderr) and exit status byte for byte with cases/NAME/expected.txt.
#   run_hostile.sh STOWAGE HOSTILE_DIR NAME
# A case with a file `as-nobody` runs stowage as user nobody (setpriv) when
# run as root, since root reads files whatever their permissions. A case with
# `policy.yaml` passes it as --policy (the file stays outside the source).
# A setup.sh that exits 77 skips the case (it needs root). `max-rss-mib` bounds the peak memory of the run (GNU time). Stowage is
# stopped after 20 s: a read that blocks (a FIFO opened) fails the test.
# STOWAGE_GOLDEN_UPDATE=1 rewrites expected.txt instead (review the diff).
set -uo pipefail
stowage=$(realpath "$1") dir=$(cd "$2" && pwd) name=$3
case_dir=$dir/cases/$name
expected=$case_dir/expected.txt
work=$(mktemp -d /tmp/stw-hostile.XXXXXX)
cleanup() { chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
src=$work/$name
mkdir -p "$src"
cp -r "$dir/base/." "$src/"
( cd "$case_dir" && tar -cf - --exclude=expected.txt --exclude=setup.sh --exclude=as-nobody \
    --exclude=policy.yaml --exclude=max-rss-mib . ) | ( cd "$src" && tar -xf - )
if [ -f "$case_dir/setup.sh" ]; then
  ( cd "$src" && bash "$case_dir/setup.sh" )
  rc=$?
  [ "$rc" = 77 ] && { echo "hostile: $name needs root, skipped"; exit 77; }
  [ "$rc" = 0 ] || { echo "hostile: setup of $name failed" >&2; exit 1; }
fi
args=()
[ -f "$case_dir/policy.yaml" ] && { cp "$case_dir/policy.yaml" "$work/policy.yaml"; args+=(--policy "$work/policy.yaml"); }
runner=()
if [ -f "$case_dir/as-nobody" ] && [ "$(id -u)" = 0 ]; then
  chmod 755 "$work"
  runner=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
measure=()
rss_file=$work/rss
if [ -f "$case_dir/max-rss-mib" ] && [ -x /usr/bin/time ]; then
  measure=(/usr/bin/time -f %M -o "$rss_file")
fi
actual=$work/actual
(
  cd "$work" || exit 99
  NO_COLOR=1 STOWAGE_POLICY= timeout 20 "${measure[@]}" "${runner[@]}" "$stowage" validate "${args[@]}" "$name"
  echo "exit $?"
) >"$actual" 2>&1
sed -i "s|$work/policy.yaml|POLICY|g" "$actual"
if [ "${STOWAGE_GOLDEN_UPDATE:-0}" = 1 ]; then
  cp "$actual" "$expected"
  echo "hostile: wrote $expected"
  exit 0
fi
status=0
if ! diff -u --label "expected ($expected)" --label "actual (stowage validate $name)" \
    "$expected" "$actual"; then
  echo "hostile: output of 'stowage validate $name' differs (see diff above)" >&2
  status=1
fi
if [ -s "$rss_file" ]; then
  # max-rss-mib is what the case may use above a validate of an empty source by
  # the same binary (a sanitizer build starts hundreds of MiB higher).
  mkdir -p "$work/empty-source"
  (cd "$work" && STOWAGE_POLICY= /usr/bin/time -f %M -o "$work/rss-base" "$stowage" validate \
     empty-source >/dev/null 2>&1) || true
  base_mib=$(( $(tail -1 "$work/rss-base") / 1024 ))
  limit=$(( base_mib + $(cat "$case_dir/max-rss-mib") ))
  rss_mib=$(( $(tail -1 "$rss_file") / 1024 ))
  echo "hostile: $name peak RSS $rss_mib MiB (limit $limit MiB: an empty source's $base_mib + $(cat "$case_dir/max-rss-mib"))"
  [ "$rss_mib" -le "$limit" ] || { echo "hostile: $name used $rss_mib MiB > $limit MiB" >&2; status=1; }
fi
exit $status
