#!/usr/bin/env bash
# End-to-end benchmark: generates corpora (scripts/gen_corpus.py) of each size, runs the
# framelens commands on each as a user would (a folder of .txt files), and prints a
# Markdown table of MB/s, articles/s and peak memory (from /usr/bin/time). Where
# pyahocorasick and scikit-learn are installed, the Python baselines of
# scripts/baseline.py run on the same corpus and their time and the ratio are shown beside.
# Story alignment is also scored against the generator's ground truth (pairwise F1).
#
#   scripts/bench.sh                 # 1,000, 10,000 and 100,000 articles
#   scripts/bench.sh 1000 10000      # chosen sizes
#   FRAMELENS_BENCH_DIR=/data/b scripts/bench.sh   # where corpora go (default /tmp/framelens-bench)
#   FRAMELENS_BENCH_MB=2000 scripts/bench.sh flat  # streaming demo: score 2 GB at flat memory
#   FRAMELENS_BENCH_RUNS=3 scripts/bench.sh        # each command, Python too, best of 3 runs
#                                                  # (time: the fastest; memory: the largest)
# Each corpus is read once before its commands are timed (a warm page cache for all).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/framelens
work=${FRAMELENS_BENCH_DIR:-/tmp/framelens-bench}
mkdir -p "$work"
timer=/usr/bin/time
[ -x "$timer" ] || { echo "bench.sh needs GNU time (/usr/bin/time; Debian package time)" >&2; exit 1; }
have_py() { python3 -c "import $1" 2>/dev/null; }

runs=${FRAMELENS_BENCH_RUNS:-1}

# run LABEL CMD... : runs CMD $runs times, sets $secs (the fastest) and $peak_mb (the largest)
run() {
  local label=$1 i s kb best="" most=0; shift
  for ((i = 0; i < runs; i++)); do
    "$timer" -f "%e %M" -o "$work/time" "$@" > "$work/out.$label" 2> "$work/err.$label" || {
      echo "failed: $*" >&2; tail -3 "$work/err.$label" >&2; secs=NaN; peak_mb=NaN; return; }
    read -r s kb < <(tail -1 "$work/time")
    best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
    most=$(( kb > most ? kb : most ))
  done
  secs=$best
  peak_mb=$(awk -v k="$most" 'BEGIN { printf "%.0f", k / 1024 }')
}

corpus() {  # corpus N -> sets $dir, $mb
  dir=$work/c$1
  if [ ! -f "$dir.truth.csv" ]; then
    rm -rf "$dir"
    python3 scripts/gen_corpus.py "$dir" --articles "$1" >&2
  fi
  mb=$(du -sb --apparent-size "$dir" | awk '{ printf "%.1f", $1 / 1e6 }')
  # Read once before timing, so that no command (framelens or Python) is timed reading from
  # disk what a larger corpus pushed out of the page cache: with one run, the first command
  # paid for it alone; with several, the first run of each was slower than the rest.
  find "$dir" -type f -exec cat {} + > /dev/null
}

row() {  # row N COMMAND BASELINE_SECS BASELINE_MB NOTE
  local rate arts ratio
  rate=$(awk -v m="$mb" -v s="$secs" 'BEGIN { printf (s > 0 ? "%.1f" : "-"), m / s }')
  arts=$(awk -v n="$1" -v s="$secs" 'BEGIN { printf (s > 0 ? "%.0f" : "-"), n / s }')
  ratio=$(awk -v b="$3" -v s="$secs" 'BEGIN { if (b + 0 > 0 && s > 0) printf "%.1f×", b / s; else printf "-" }')
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n" \
    "$1" "$mb" "$2" "$secs" "$rate" "$arts" "$peak_mb" "$3" "$4" "$ratio $5"
}

if [ "${1:-}" = flat ]; then
  # Streaming: memory of `score` must not grow with the corpus.
  size=${FRAMELENS_BENCH_MB:-2000}
  dir=$work/flat$size
  [ -d "$dir" ] || python3 scripts/gen_corpus.py "$dir" --articles 1 --size-mb "$size" >&2
  mb=$(du -sb --apparent-size "$dir" | awk '{ printf "%.1f", $1 / 1e6 }')
  run flat "$bin" score "$dir" -q --format csv
  echo "score on $mb MB: $secs s, peak $peak_mb MB"
  exit 0
fi

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
echo "framelens $("$bin" --version | cut -d' ' -f2), $(nproc) cores, best of $runs run(s); baselines: pyahocorasick $(have_py ahocorasick && echo yes || echo no), scikit-learn $(have_py sklearn && echo yes || echo no)"
echo
echo "| articles | MB | command | s | MB/s | articles/s | peak MB | Python s | Python peak MB | ratio, notes |"
echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"
for n in "${sizes[@]}"; do
  corpus "$n"
  bs=-; bm=-
  if have_py ahocorasick; then run py_count python3 scripts/baseline.py count "$dir"; bs=$secs; bm=$peak_mb; fi
  run score "$bin" score "$dir" -q --format csv
  row "$n" "score" "$bs" "$bm" "(pyahocorasick counts)"

  bs=-; bm=-; note=""
  if have_py sklearn && [ "$n" -le 20000 ]; then
    run py_align python3 scripts/baseline.py align "$dir" "$work/py_align.csv"
    bs=$secs; bm=$peak_mb
    note="(scikit-learn F1 $(python3 scripts/pairwise_f1.py "$dir.truth.csv" "$work/py_align.csv" | cut -d' ' -f3))"
  elif have_py sklearn; then
    note="(scikit-learn not run: its n² similarity matrix)"
  fi
  run align "$bin" align "$dir" --level story -q --format csv
  f1=$(python3 scripts/pairwise_f1.py "$dir.truth.csv" "$work/out.align" | cut -d' ' -f3)
  row "$n" "align --level story" "$bs" "$bm" "F1 $f1 $note"

  bs=-; bm=-
  run py_key python3 scripts/baseline.py keyness "$dir"; bs=$secs; bm=$peak_mb
  run keyness "$bin" keyness "$dir" -q --format csv
  row "$n" "keyness" "$bs" "$bm" "(plain Python, unigrams only)"

  run kwic "$bin" kwic occupied "$dir" -q --format csv
  row "$n" "kwic occupied" - - ""
done
