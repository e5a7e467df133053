"""Fails when a package the published crates build with, as Cargo.lock
resolves them with every feature on, declares a rust-version above the
workspace's. Reads `cargo metadata` on stdin; normal and build
dependencies only, since dev-dependencies are not built for users."""

import json
import sys

metadata = json.load(sys.stdin)
packages = {p["id"]: p for p in metadata["packages"]}
nodes = {n["id"]: n for n in metadata["resolve"]["nodes"]}


def version(text):
    return tuple(int(part) for part in (text.split("+")[0] + ".0.0").split(".")[:3])


roots = [p for p in metadata["workspace_members"] if packages[p]["name"] in ("bizmetrics", "bizmetrics-macros")]
msrv = version(packages[roots[0]]["rust_version"])
seen, stack = set(roots), list(roots)
while stack:
    for dep in nodes[stack.pop()]["deps"]:
        if any(kind["kind"] in (None, "build") for kind in dep["dep_kinds"]) and dep["pkg"] not in seen:
            seen.add(dep["pkg"])
            stack.append(dep["pkg"])
too_new = sorted(
    f"{packages[p]['name']} {packages[p]['version']} needs Rust {packages[p]['rust_version']}"
    for p in seen
    if packages[p].get("rust_version") and version(packages[p]["rust_version"]) > msrv
)
if too_new:
    sys.exit("above the workspace's rust-version:\n  " + "\n  ".join(too_new))
print(f"{len(seen)} packages, none above rust-version {'.'.join(map(str, msrv))}")
