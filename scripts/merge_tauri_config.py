"""Writes tauri.<platform>.json into OUT for linux, windows and macos: tauri.conf.json with
that platform's tauri.<platform>.conf.json merged over it as a JSON merge patch (RFC 7396),
which is how the Tauri CLI reads them, so each can be checked against the schema whole."""

import json
import sys
from pathlib import Path


def merge(base, patch):
    if not isinstance(patch, dict):
        return patch
    out = dict(base) if isinstance(base, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge(out.get(key), value)
    return out


def main(src: Path, out: Path) -> None:
    base = json.loads((src / "tauri.conf.json").read_text())
    for platform in ("linux", "windows", "macos"):
        extra = src / f"tauri.{platform}.conf.json"
        merged = merge(base, json.loads(extra.read_text())) if extra.exists() else base
        (out / f"tauri.{platform}.json").write_text(json.dumps(merged, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
