#!/usr/bin/env bash
# Compile time added by the attributes: a crate of 200 async handlers, built
# with and without `#[business_metric]` + `#[timed]` on each. Dependencies
# are built once beforehand; each timing is a clean build of the crate
# itself (debug), median of 5.
#
#   bash tests/perf/compile_time.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
handlers=200

make_crate() { # name, annotated (0 or 1)
    local dir="$work/$1"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
bizmetrics = { path = "$root/runtime" }
[workspace]
TOML
    {
        for i in $(seq 1 "$handlers"); do
            if [ "$2" = 1 ]; then
                echo "#[bizmetrics::business_metric(action = \"action_$i\", endpoint = \"/h$i\")]"
                echo "#[bizmetrics::timed]"
            fi
            echo "pub async fn handler_$i(x: u32) -> Result<u32, String> { if x == $i { return Err(\"no\".into()) } Ok(x + $i) }"
        done
    } > "$dir/src/lib.rs"
}

median_build_ms() { # dir
    local dir=$1 times=()
    (cd "$dir" && CARGO_TARGET_DIR="$work/target" cargo build -q) # dependencies, once
    for _ in 1 2 3 4 5; do
        (cd "$dir" && CARGO_TARGET_DIR="$work/target" cargo clean -q -p "$(basename "$dir")")
        local start end
        start=$(date +%s%N)
        (cd "$dir" && CARGO_TARGET_DIR="$work/target" cargo build -q)
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

make_crate plain 0
make_crate annotated 1
plain=$(median_build_ms "$work/plain")
annotated=$(median_build_ms "$work/annotated")
echo "clean debug build of $handlers async handlers, median of 5:"
echo "  without attributes  ${plain} ms"
echo "  with both attributes ${annotated} ms"
awk -v a="$annotated" -v p="$plain" -v n="$handlers" \
    'BEGIN { printf "  added per annotated handler: %.2f ms (target at most 5 ms)\n", (a - p) / n }'
