#!/usr/bin/env bash
# Compile time added by the attributes, against autometrics as the reference:
# the same generated async handlers in three crates, plain, with
# `#[business_metric]` + `#[timed]` on each, and with `#[autometrics]` on
# each. Dependencies are built once beforehand; each timing is a clean debug
# build (and, separately, a clean `cargo check`) of the crate itself, median
# of RUNS.
#
#   bash tests/perf/compile_time.sh
#   HANDLERS=20 RUNS=1 bash tests/perf/compile_time.sh    (a quick smoke run)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
handlers=${HANDLERS:-200}
runs=${RUNS:-5}
# One target dir for the three crates: the dependencies they share build once,
# and none of this touches (or waits on the lock of) the workspace's target/.
export CARGO_TARGET_DIR="$work/target"
crates=(handlers_plain handlers_bizmetrics handlers_autometrics)
declare -A dep=(
    [handlers_plain]=""
    [handlers_bizmetrics]="bizmetrics = { path = \"$root/runtime\" }"
    # Only the Prometheus backend, the same exposition crate bizmetrics uses;
    # autometrics' defaults would add OpenTelemetry and an exporter.
    [handlers_autometrics]='autometrics = { version = "3", default-features = false, features = ["prometheus-0_14"] }'
)
declare -A attrs=(
    [handlers_plain]=""
    [handlers_bizmetrics]='#[bizmetrics::business_metric(action = "action_$i", endpoint = "/h$i")]\n#[bizmetrics::timed]\n'
    [handlers_autometrics]='#[autometrics::autometrics]\n'
)

make_crate() { # name
    local dir="$work/$1" i
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
${dep[$1]}
[workspace]
TOML
    {
        for i in $(seq 1 "$handlers"); do
            # Expands `$i` inside the attribute template for this handler.
            local a=${attrs[$1]//\$i/$i}
            printf '%b' "$a"
            echo "pub async fn handler_$i(x: u32) -> Result<u32, String> { if x == $i { return Err(\"no\".into()) } Ok(x + $i) }"
        done
    } > "$dir/src/lib.rs"
}

in_crate() { # name, cargo args...
    (cd "$work/$1" && cargo "${@:2}")
}

timed() { # name, build or check -> ms of a clean build of the crate alone
    local name=$1 cmd=$2 start end
    # No-op unless a dependency changed since the last run; a dependency
    # rebuilt inside the timed build would count as the crate's own time.
    in_crate "$name" "$cmd" -q
    in_crate "$name" clean -q -p "$name"
    start=$(date +%s%N)
    in_crate "$name" "$cmd" -q
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}

median() { # numbers, one a line
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

for c in "${crates[@]}"; do
    make_crate "$c"
    # Dependencies for both modes: a check builds its own metadata-only
    # copies of them. A failure here (resolution, a broken dependency) stops
    # the run with cargo's own message.
    in_crate "$c" build -q
    in_crate "$c" check -q
done
autometrics_version=$(awk '/^name = "autometrics"$/ { getline; gsub(/version = |"/, ""); print }' \
    "$work/handlers_autometrics/Cargo.lock")

# Runs alternate between the crates and the two modes, so a slow patch of the
# machine (it is shared) spreads over all six figures instead of one.
for _ in $(seq 1 "$runs"); do
    for cmd in build check; do
        for c in "${crates[@]}"; do
            timed "$c" "$cmd" >> "$work/$c.$cmd"
        done
    done
done

declare -A ms
for cmd in build check; do
    for c in "${crates[@]}"; do
        ms[$c.$cmd]=$(median < "$work/$c.$cmd")
    done
done

echo "$handlers async handlers, clean build of the crate alone, median of $runs (autometrics $autometrics_version):"
for cmd in build check; do
    if [ "$cmd" = build ]; then echo "cargo build (debug)"; else echo "cargo check"; fi
    printf '  %-38s %6d ms\n' "plain" "${ms[handlers_plain.$cmd]}" \
        "bizmetrics (business_metric + timed)" "${ms[handlers_bizmetrics.$cmd]}" \
        "autometrics" "${ms[handlers_autometrics.$cmd]}"
    # The added time also holds loading the attribute crate's metadata, once
    # per crate: with few handlers (a quick run) that fixed part dominates.
    awk -v p="${ms[handlers_plain.$cmd]}" -v b="${ms[handlers_bizmetrics.$cmd]}" \
        -v a="${ms[handlers_autometrics.$cmd]}" -v n="$handlers" 'BEGIN {
        bh = (b - p) / n; ah = (a - p) / n
        printf "  added per handler: bizmetrics %.2f ms (target at most 5 ms), autometrics %.2f ms\n", bh, ah
        if (ah > 0) printf "  bizmetrics / autometrics: %.2fx (target at most 0.25x)\n", bh / ah
        else print "  bizmetrics / autometrics: n/a (autometrics added no time)"
    }'
done
