#!/usr/bin/python3
"""Cross-check NIR files written by neuromesh with h5py (Debian's python3-h5py).

For every file in <out-dir>/manifest.json (written by write.ts):
  - h5py opens it; the set of datasets equals the manifest's; each dataset's dtype and shape
    match (strings: variable-length UTF-8, as NIR's own nir.write makes them);
  - root `version` reads b'1.0.0', `node/type` b'NIRGraph', edges are an E x 2 string array;
  - gzip files: every non-scalar, non-string, non-empty dataset is gzip-compressed;
  - files made from a NIR-paper fixture: every dataset present in the fixture has the same
    dtype and bit-identical values there (strings compared decoded).
Prints one JSON document (machine, date, versions, per-file results) on stdout; exit 1 on failure.
"""
import datetime
import json
import os
import platform
import sys

import h5py
import numpy as np


def kind(ds):
    info = h5py.check_string_dtype(ds.dtype)
    if info is not None:
        return "str", info
    return ds.dtype.name, None


def collect(f):
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            out[name] = obj

    f.visititems(visit)
    return out


def decoded(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray) and v.dtype == object:
        return [decoded(x) for x in v.tolist()] if v.ndim else decoded(v[()])
    if isinstance(v, list):
        return [decoded(x) for x in v]
    return v


def check_file(entry):
    problems = []
    path = entry["file"]
    with h5py.File(path, "r") as f:
        found = collect(f)
        expected = entry["datasets"]
        missing = sorted(set(expected) - set(found))
        extra = sorted(set(found) - set(expected))
        if missing:
            problems.append(f"missing datasets: {missing[:5]}")
        if extra:
            problems.append(f"unexpected datasets: {extra[:5]}")
        for name, spec in expected.items():
            if name not in found:
                continue
            ds = found[name]
            dt, sinfo = kind(ds)
            if dt != spec["dtype"]:
                problems.append(f"{name}: dtype {dt}, expected {spec['dtype']}")
            if list(ds.shape) != spec["shape"]:
                problems.append(f"{name}: shape {list(ds.shape)}, expected {spec['shape']}")
            if sinfo is not None and (sinfo.length is not None or sinfo.encoding != "utf-8"):
                problems.append(f"{name}: string is not variable-length UTF-8 ({sinfo})")
            if entry["gzip"] and dt != "str" and ds.shape != () and ds.size > 0 and ds.compression != "gzip":
                problems.append(f"{name}: not gzip-compressed")
            if not entry["gzip"] and ds.compression is not None:
                problems.append(f"{name}: compressed ({ds.compression}) though gzip was off")
        if f["version"][()] != entry["version"].encode():
            problems.append(f"version {f['version'][()]!r}")
        if f["node/type"][()] != b"NIRGraph":
            problems.append(f"node/type {f['node/type'][()]!r}")
        edges = f["node/edges"][()]
        if edges.ndim != 2 or (edges.size and edges.shape[1] != 2):
            problems.append(f"edges shape {edges.shape}")
        compared = 0
        if entry["source"]:
            with h5py.File(entry["source"], "r") as src:
                for name, ds in found.items():
                    if name == "version" or name not in src or not isinstance(src[name], h5py.Dataset):
                        continue
                    a, b = ds[()], src[name][()]
                    dt, _ = kind(ds)
                    sdt, _ = kind(src[name])
                    if dt != sdt:
                        problems.append(f"{name}: dtype {dt} but the fixture has {sdt}")
                    elif dt == "str":
                        if decoded(a) != decoded(b):
                            problems.append(f"{name}: strings differ from the fixture")
                    elif np.asarray(a).tobytes() != np.asarray(b).tobytes() or np.shape(a) != np.shape(b):
                        problems.append(f"{name}: values differ from the fixture")
                    compared += 1
    return {
        "file": os.path.basename(path),
        "gzip": entry["gzip"],
        "datasets": len(entry["datasets"]),
        "compared_with_fixture": compared,
        "ok": not problems,
        "problems": problems,
    }


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "nir-h5py-out"
    with open(os.path.join(out_dir, "manifest.json")) as fh:
        manifest = json.load(fh)
    results = [check_file(e) for e in manifest["files"]]
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "node": platform.node(),
            "system": platform.platform(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "h5py": h5py.version.version,
        "hdf5": h5py.version.hdf5_version,
        "numpy": np.__version__,
        "files": len(results),
        "ok": all(r["ok"] for r in results),
        "results": results,
    }
    print(json.dumps(report, indent=1))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
