#!/bin/sh
# Write NIR files with neuromesh and cross-check them with Debian's python3-h5py.
#   apt-get install -y python3-h5py   (uses /usr/bin/python3)
# Usage (from the repository root): sh bench/nir-h5py/run.sh [out-dir]
# Prints the JSON report and saves it as bench/nir-h5py/results.json.
set -e
out="${1:-$(mktemp -d)}"
npx tsc -p tsconfig.json
node dist/bench/nir-h5py/write.js "$out" >&2
/usr/bin/python3 bench/nir-h5py/check.py "$out" > bench/nir-h5py/results.json || status=$?
cat bench/nir-h5py/results.json
exit "${status:-0}"
