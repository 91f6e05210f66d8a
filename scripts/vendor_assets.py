#!/usr/bin/env python3
"""Vendor Verantwoord's front-end assets from exactly pinned npm packages.

Why: running Verantwoord must never need Node, a package manager or a CDN. The few front-end files the
app uses (NL Design System CSS, the design tokens of the neutral "voorbeeld" theme, htmx, and axe-core
for accessibility tests) are therefore committed to the repository. This script is the only way they get
there, so every committed byte can be traced back to an exact package version:

* ``package.json`` at the repository root pins each package to an exact version (no ranges);
* ``npm pack NAME@VERSION`` fetches each tarball into a temporary directory (no ``node_modules``, no
  lockfile, no install scripts); the tarball is read with :mod:`tarfile`, rejecting unsafe member paths;
* only the files listed in :data:`RECIPES` are copied, with their licence files;
* CSS is made safe for ``Content-Security-Policy: default-src 'self'``: inline ``data:`` images are
  written out as files next to the stylesheet, remote ``@import`` rules are removed, and any other remote
  ``url(...)`` is an error;
* ``src/verantwoord/static/vendor/VENDORED.json`` records name, version, licence, files and SHA-256.

Usage::

    python3 scripts/vendor_assets.py           # (re)write the vendored files
    python3 scripts/vendor_assets.py --check   # verify committed files match the pinned versions

Only the Python standard library and the ``npm`` client are needed, and only to run this script.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
from base64 import b64decode
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_JSON = REPO_ROOT / "package.json"
STATIC_VENDOR = PurePosixPath("src/verantwoord/static/vendor")
MANIFEST = STATIC_VENDOR / "VENDORED.json"
EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
TARBALL_ROOT = "package"


@dataclass(frozen=True)
class Recipe:
    """What to take from one npm package and where to put it (paths relative to the repository)."""

    dest: PurePosixPath
    files: dict[str, str]  # path inside the package -> file name in ``dest``


RECIPES: dict[str, Recipe] = {
    "@utrecht/component-library-css": Recipe(
        dest=STATIC_VENDOR / "utrecht/component-library-css",
        files={"dist/index.css": "index.css", "LICENSE.md": "LICENSE.md"},
    ),
    "@nl-design-system-unstable/voorbeeld-design-tokens": Recipe(
        dest=STATIC_VENDOR / "voorbeeld-design-tokens",
        files={"dist/theme.css": "theme.css", "LICENSE.md": "LICENSE.md"},
    ),
    "htmx.org": Recipe(
        dest=STATIC_VENDOR / "htmx",
        files={"dist/htmx.min.js": "htmx.min.js", "LICENSE": "LICENSE"},
    ),
    "axe-core": Recipe(
        dest=PurePosixPath("tests/vendor/axe-core"),
        files={
            "axe.min.js": "axe.min.js",
            "LICENSE": "LICENSE",
            "LICENSE-3RD-PARTY.txt": "LICENSE-3RD-PARTY.txt",
        },
    ),
}

DATA_URI_EXTENSIONS = {
    "image/svg+xml": ".svg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/jpeg": ".jpg",
}
CSS_DATA_URL = re.compile(r"""url\(\s*(?:"(data:[^"]*)"|'(data:[^']*)'|(data:[^\s"')]*))\s*\)""")
CSS_IMPORT = re.compile(r"@import\s+[^;]*;")
CSS_REMOTE_URL = re.compile(r"""url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""", re.IGNORECASE)
SOURCE_MAP = re.compile(r"[ \t]*(?:/\*#\s*sourceMappingURL=[^*]*\*/|//#\s*sourceMappingURL=\S*)[ \t]*\n?")


class VendorError(Exception):
    """A problem that stops vendoring; the message is meant for the person running the script."""


@dataclass(frozen=True)
class PackResult:
    """A downloaded package: its files (path inside the package -> bytes) and tarball integrity."""

    files: dict[str, bytes]
    integrity: str


# --- package.json -----------------------------------------------------------------------------------------


def read_pins(package_json: Path) -> dict[str, str]:
    """Return the ``dependencies`` of package.json, checking versions are exact and recipes exist."""
    data = json.loads(package_json.read_text(encoding="utf-8"))
    pins: dict[str, str] = data.get("dependencies", {})
    loose = {name: version for name, version in pins.items() if not EXACT_VERSION.match(version)}
    if loose:
        raise VendorError(f"package.json: versions must be exact (X.Y.Z), found {loose}")
    if set(pins) != set(RECIPES):
        raise VendorError(
            "package.json dependencies and RECIPES in vendor_assets.py differ: "
            f"only in package.json {sorted(set(pins) - set(RECIPES))}, "
            f"only in RECIPES {sorted(set(RECIPES) - set(pins))}"
        )
    return pins


# --- fetching and reading tarballs ------------------------------------------------------------------------


def npm_pack(name: str, version: str, workdir: Path) -> tuple[Path, str]:
    """Run ``npm pack`` for one exact version in ``workdir``; return the tarball path and its integrity."""
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError("npm not found on PATH (needed only to run this script, never to run the app)")
    command = [npm, "pack", f"{name}@{version}", "--json", "--ignore-scripts", "--pack-destination", "."]
    result = subprocess.run(  # noqa: S603 -- fixed argv, no shell; name/version come from package.json
        command, cwd=workdir, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise VendorError(f"npm pack {name}@{version} failed:\n{result.stderr.strip()}")
    (info,) = json.loads(result.stdout)
    if info["name"] != name or info["version"] != version:
        raise VendorError(f"npm pack returned {info['name']}@{info['version']}, wanted {name}@{version}")
    return workdir / info["filename"], info["integrity"]


def safe_member_path(member: tarfile.TarInfo) -> str | None:
    """Return the member's path inside the package, or None for directories; reject anything unsafe."""
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or "\\" in member.name:
        raise VendorError(f"unsafe path in tarball: {member.name!r}")
    if member.isdir():
        return None
    if not member.isfile():
        raise VendorError(f"tarball member is not a regular file: {member.name!r}")
    if not path.parts or path.parts[0] != TARBALL_ROOT:
        raise VendorError(f"tarball member outside {TARBALL_ROOT}/: {member.name!r}")
    return str(PurePosixPath(*path.parts[1:]))


def read_tarball(tarball: Path) -> dict[str, bytes]:
    """Read every regular file of an npm tarball into memory (nothing is written to disk)."""
    files: dict[str, bytes] = {}
    with tarfile.open(tarball, mode="r:gz") as archive:
        for member in archive.getmembers():
            inner = safe_member_path(member)
            if inner is None:
                continue
            stream = archive.extractfile(member)
            if stream is None:
                raise VendorError(f"cannot read {member.name!r} from {tarball.name}")
            files[inner] = stream.read()
    return files


def fetch(name: str, version: str, workdir: Path) -> PackResult:
    """Download and read one package."""
    tarball, integrity = npm_pack(name, version, workdir)
    return PackResult(files=read_tarball(tarball), integrity=integrity)


# --- making CSS self-contained ----------------------------------------------------------------------------


def decode_data_uri(uri: str) -> tuple[bytes, str]:
    """Decode a ``data:`` URI into (content, file extension)."""
    header, _, payload = uri[len("data:") :].partition(",")
    media_type, *params = header.split(";")
    extension = DATA_URI_EXTENSIONS.get(media_type.strip().lower())
    if extension is None:
        raise VendorError(f"unsupported data: URI media type {media_type!r} in CSS")
    if "base64" in (param.strip().lower() for param in params):
        return b64decode(urllib.parse.unquote(payload)), extension
    return urllib.parse.unquote_to_bytes(payload), extension


def extract_data_uris(css: str, stem: str) -> tuple[str, dict[str, bytes]]:
    """Replace inline ``data:`` images with files beside the stylesheet (CSP ``img-src 'self'``)."""
    assets: dict[str, bytes] = {}

    def replace(match: re.Match[str]) -> str:
        uri = next(group for group in match.groups() if group is not None)
        content, extension = decode_data_uri(uri)
        file_name = f"{stem}-{hashlib.sha256(content).hexdigest()[:16]}{extension}"
        assets[file_name] = content
        return f'url("{file_name}")'

    return CSS_DATA_URL.sub(replace, css), assets


def remove_remote_imports(css: str, origin: str) -> str:
    """Drop ``@import`` rules of remote resources (e.g. web fonts); local imports are an error."""

    def replace(match: re.Match[str]) -> str:
        rule = match.group(0)
        if not re.search(r"""(?:["'(]\s*)(?:[a-z][a-z0-9+.-]*:|//)""", rule, re.IGNORECASE):
            raise VendorError(f"{origin}: local @import not supported, vendor the file instead: {rule}")
        print(f"  {origin}: removed remote {rule}", file=sys.stderr)
        return "/* vendor_assets.py: removed a remote @import (CSP allows only 'self') */"

    return CSS_IMPORT.sub(replace, css)


def strip_source_maps(text: str) -> str:
    """Remove sourceMappingURL comments: the maps are not vendored and static collection would fail."""
    return SOURCE_MAP.sub("", text)


def process_css(content: bytes, file_name: str, origin: str) -> dict[str, bytes]:
    """Make a stylesheet self-contained; return it plus the asset files it now refers to."""
    css = strip_source_maps(content.decode("utf-8"))
    css = remove_remote_imports(css, origin)
    css, assets = extract_data_uris(css, PurePosixPath(file_name).stem)
    remote = CSS_REMOTE_URL.search(css)
    if remote:
        line = css.count("\n", 0, remote.start()) + 1
        raise VendorError(f"{origin}: remote url() at line {line}; handle it in vendor_assets.py")
    return {file_name: css.encode("utf-8"), **assets}


def process_js(content: bytes, file_name: str, origin: str) -> dict[str, bytes]:
    """JavaScript is copied as published, minus a dangling sourceMappingURL comment."""
    return {file_name: strip_source_maps(content.decode("utf-8")).encode("utf-8")}


def copy_as_is(content: bytes, file_name: str, origin: str) -> dict[str, bytes]:
    """Licence files and the like are copied byte for byte."""
    return {file_name: content}


PROCESSORS: dict[str, Callable[[bytes, str, str], dict[str, bytes]]] = {
    ".css": process_css,
    ".js": process_js,
}


# --- building the expected tree ---------------------------------------------------------------------------


def sha256(content: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(content).hexdigest()


def package_outputs(name: str, pack: PackResult) -> dict[str, bytes]:
    """Files to write for one package, keyed by path relative to the repository root."""
    recipe = RECIPES[name]
    outputs: dict[str, bytes] = {}
    for inner, file_name in recipe.files.items():
        if inner not in pack.files:
            raise VendorError(f"{name}: {inner} not found in the package; update RECIPES")
        processor = PROCESSORS.get(PurePosixPath(file_name).suffix, copy_as_is)
        for out_name, content in processor(pack.files[inner], file_name, f"{name}/{inner}").items():
            outputs[str(recipe.dest / out_name)] = content
    return outputs


def manifest_entry(name: str, version: str, pack: PackResult, outputs: dict[str, bytes]) -> dict[str, object]:
    """One package's record in VENDORED.json."""
    meta = json.loads(pack.files["package.json"])
    if meta.get("name") != name or meta.get("version") != version:
        raise VendorError(f"{name}@{version}: package.json inside the tarball says otherwise")
    return {
        "name": name,
        "version": version,
        "license": meta.get("license", "UNKNOWN"),
        "integrity": pack.integrity,
        "destination": str(RECIPES[name].dest),
        "files": [{"path": path, "sha256": sha256(outputs[path])} for path in sorted(outputs)],
    }


def build_expected(pins: dict[str, str], workdir: Path) -> dict[str, bytes]:
    """Fetch every pinned package and return all vendored files (including VENDORED.json) by path."""
    expected: dict[str, bytes] = {}
    entries: list[dict[str, object]] = []
    for name in sorted(pins):
        print(f"fetching {name}@{pins[name]}", file=sys.stderr)
        pack = fetch(name, pins[name], workdir)
        outputs = package_outputs(name, pack)
        entries.append(manifest_entry(name, pins[name], pack, outputs))
        expected.update(outputs)
    manifest = {
        "generated_by": "scripts/vendor_assets.py (edit package.json, then run it; do not edit by hand)",
        "packages": entries,
    }
    expected[str(MANIFEST)] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return expected


# --- writing and checking ---------------------------------------------------------------------------------


def existing_files(root: Path) -> set[str]:
    """Paths (relative to the repository) of all files currently in the vendored directories."""
    found: set[str] = set()
    for recipe in RECIPES.values():
        directory = root / recipe.dest
        if directory.is_dir():
            found.update(path.relative_to(root).as_posix() for path in directory.rglob("*") if path.is_file())
    manifest = root / MANIFEST
    if manifest.is_file():
        found.add(str(MANIFEST))
    return found


def write_tree(root: Path, expected: dict[str, bytes]) -> None:
    """Replace the vendored directories with exactly the expected files."""
    for recipe in RECIPES.values():
        shutil.rmtree(root / recipe.dest, ignore_errors=True)
    for path, content in sorted(expected.items()):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        print(f"wrote {path} ({len(content)} bytes)", file=sys.stderr)


def compare_tree(root: Path, expected: dict[str, bytes]) -> list[str]:
    """Differences between the work tree and the expected files, as human-readable lines."""
    problems: list[str] = []
    for path, content in sorted(expected.items()):
        target = root / path
        if not target.is_file():
            problems.append(f"missing: {path}")
        elif target.read_bytes() != content:
            problems.append(
                f"differs: {path} (sha256 {sha256(target.read_bytes())}, expected {sha256(content)})"
            )
    problems.extend(f"unexpected: {path}" for path in sorted(existing_files(root) - set(expected)))
    return problems


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="download the pinned versions and verify the committed files are byte-identical",
    )
    args = parser.parse_args(argv)
    try:
        pins = read_pins(PACKAGE_JSON)
        with tempfile.TemporaryDirectory(prefix="vendor-assets-") as tmp:
            expected = build_expected(pins, Path(tmp))
    except VendorError as error:
        print(f"vendor_assets: error: {error}", file=sys.stderr)
        return 2
    if not args.check:
        write_tree(REPO_ROOT, expected)
        print(f"vendored {len(pins)} packages; see {MANIFEST}", file=sys.stderr)
        return 0
    problems = compare_tree(REPO_ROOT, expected)
    if problems:
        print("vendor_assets --check: vendored files do not match package.json:", file=sys.stderr)
        print("\n".join(f"  {line}" for line in problems), file=sys.stderr)
        print("Run `python3 scripts/vendor_assets.py` and commit the result.", file=sys.stderr)
        return 1
    print(f"vendor_assets --check: OK ({len(expected)} files match the pinned versions)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
