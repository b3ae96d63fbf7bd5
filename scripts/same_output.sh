#!/usr/bin/env bash
# Compares two framelens builds command by command: stdout, stderr and exit code must be
# byte-identical. Used to check that a speed or refactoring change leaves every output as
# it was.
#
#   scripts/same_output.sh OLD_BINARY NEW_BINARY [BENCH_DIR]
#
# BENCH_DIR holds corpora made by scripts/gen_corpus.py (c1000, c10000); default
# /tmp/framelens-bench. From c1000 the script makes `curly`, the same articles with
# typographic quotes and accented and Cyrillic bylines and datelines, so that the
# boilerplate rules run in both their forms (common characters, and the rest). Commands on
# a corpus that is missing are skipped and said so. Exits 1 if any output differs.
set -u
old=$1 new=$2 bench=${3:-/tmp/framelens-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
f=$root/tests/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
if [ ! -d "$bench/curly" ] && [ -d "$bench/c1000" ]; then
  python3 - "$bench/c1000" "$bench/curly" <<'PY'
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst)
for i, name in enumerate(sorted(os.listdir(src))):
    text = open(os.path.join(src, name), encoding="utf-8").read()
    head, sep, body = text.partition("\n---\n")
    body = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", body).replace("'", "\u2019")
    extra = ""
    if i % 3 == 0:
        extra += "By \u00c5sa \u00d6berg - Trend:\n\n"
    if i % 5 == 0:
        extra += "\u00c7ANAKKALE, T\u00fcrkiye, Nov. 11\n\n"
    if i % 13 == 0:
        extra += "By \u0401\u043b\u043a\u0430 \u0401\u0436\u0438\u043a\u043e\u0432\u0430 - Trend:\n\n"
        extra += "\u0415\u0420\u0415\u0412\u0410\u041d, \u0410\u0440\u043c\u0435\u043d\u0438\u044f, Nov. 11\n\n"
    if i % 7 == 0:
        body += "\n\nFollow us on Telegram\nRelated news:\nOther headline \u00e9"
    open(os.path.join(dst, name), "w", encoding="utf-8").write(head + sep + extra + body)
PY
fi
while read -r args; do
  [ -z "$args" ] && continue
  missing=""
  for word in $args; do
    case $word in /*) [ -e "$word" ] || missing=$word ;; esac
  done
  if [ -n "$missing" ]; then echo "skipped (no $missing): $args"; continue; fi
  "$old" $args >"$tmp/old.out" 2>"$tmp/old.err"; a=$?
  "$new" $args >"$tmp/new.out" 2>"$tmp/new.err"; b=$?
  if cmp -s "$tmp/old.out" "$tmp/new.out" && cmp -s "$tmp/old.err" "$tmp/new.err" && [ $a = $b ]; then
    echo "same (exit $a): $args"
  else
    echo "DIFFERENT (exit $a, $b): $args"
    status=1
  fi
done <<LIST
score $bench/c10000 --format json
score $bench/c10000 --by doc --format csv
score $bench/c10000 --by concept
corpus $bench/c1000 --format json
compare $f/corpora --format json
compare $f/stories --format json
compare --format json
score $root/seeds --format json
corpus $f/detect --format json
corpus $f/encodings --format json
kwic $bench/c1000 --lexicon-hits --format csv
keyness $bench/c10000 --top 0 --format csv
keyness $bench/c10000 --voice own --format json
keyness $bench/c1000 --by story --format csv
keyness $root/seeds --format json
keyness $f/keyness --format csv --top 0 --min-count 1
keyness $bench/curly --top 40
corpus $bench/curly --format json
score $bench/curly --by doc --format csv
lexicon coverage $bench/c1000
lexicon coverage $f/stories --format json
report $root/seeds
LIST
exit $status
