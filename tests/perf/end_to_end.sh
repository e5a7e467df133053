#!/usr/bin/env bash
# The example app under wrk on loopback: annotated, against the same build
# with the attributes compiled out (feature `bizmetrics/noop`). Both builds
# keep HttpMetricsLayer. Rounds alternate between the two; medians of 3.
#
#   bash tests/perf/end_to_end.sh        (needs Debian's wrk)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

build() { # target dir suffix, extra cargo args
    cargo build -q --release --manifest-path "$root/Cargo.toml" -p bizmetrics-examples --bin webapp \
        --target-dir "$root/target/perf-$1" "${@:2}"
    echo "$root/target/perf-$1/release/webapp"
}
annotated=$(build annotated)
noop=$(build noop --features bizmetrics/noop)

start() { # binary, port
    "$1" --addr "127.0.0.1:$2" --db "$work/$2.sqlite3" > "$work/$2.log" &
    pids+=($!)
    for _ in $(seq 50); do curl -fs "http://127.0.0.1:$2/health" >/dev/null && return; sleep 0.1; done
    echo "webapp on port $2 did not start" >&2; exit 1
}
start "$annotated" 3101
start "$noop" 3102

path="/items/2?device=mobile&age_group=25_34&gender=female&region=kanto"
run() { # port -> "requests_per_second p99_ms"
    wrk -t1 -c16 -d8s --latency "http://127.0.0.1:$1$path" | awk '
        /Requests\/sec/ { rps = $2 }
        /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }; p99 = v }
        END { print rps, p99 }'
}
wrk -t1 -c16 -d2s "http://127.0.0.1:3101$path" >/dev/null # warm up both
wrk -t1 -c16 -d2s "http://127.0.0.1:3102$path" >/dev/null
: > "$work/annotated" ; : > "$work/noop"
for _ in 1 2 3; do
    run 3101 >> "$work/annotated"
    run 3102 >> "$work/noop"
done
median() { sort -n -k"$2" "$1" | sed -n 2p | cut -d' ' -f"$2"; }
a_rps=$(median "$work/annotated" 1); n_rps=$(median "$work/noop" 1)
a_p99=$(median "$work/annotated" 2); n_p99=$(median "$work/noop" 2)
echo "GET $path, wrk -t1 -c16 -d8s, median of 3 alternating rounds:"
echo "  annotated          ${a_rps} requests/s, p99 ${a_p99} ms"
echo "  attributes out     ${n_rps} requests/s, p99 ${n_p99} ms"
awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "  throughput ratio %.3f (target at least 0.97)\n", a / n }'
