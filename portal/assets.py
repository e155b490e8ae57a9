"""Front-end build: Sass and JS from `static/src` into content-hashed files in `static/dist`.

Hashed names let WhiteNoise serve everything as immutable for a year, and the
precompressed `.gz` / `.br` twins mean no compression work per request. The
CSS keeps only rules some page can use (PurgeCSS over our templates, the NHS.UK
macros we render and the built JS): a first visit must stay small on a phone.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import brotli

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "src"
DIST = ROOT / "static" / "dist"
NODE_BIN = ROOT / "node_modules" / ".bin"
NHSUK_IMAGES = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk" / "assets" / "images"
NHSUK_TEMPLATES = Path(importlib.util.find_spec("nhsuk_frontend_jinja").origin).parent / "templates" / "nhsuk"  # type: ignore[arg-type]
PURGECSS_CONFIG = SOURCE / "purgecss.config.mjs"
COMPONENT_REFERENCE = re.compile(r"nhsuk/components/([a-z-]+)/")
COPIED_IMAGES = ("favicon.ico", "favicon.svg")
# portal.js on every page; listen.js for the Listen button (partials/listen.html), kept apart so it stays tiny.
JS_ENTRY_POINTS = ("portal", "listen")
COMPRESSIBLE = {".css", ".js", ".svg", ".ico", ".json"}


def _hashed(path: Path) -> Path:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return path.with_name(f"{path.stem}.{digest}{path.suffix}")


def _compress(path: Path) -> None:
    data = path.read_bytes()
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, 9, mtime=0))
    path.with_name(path.name + ".br").write_bytes(brotli.compress(data, quality=11))


def _used_components() -> set[str]:
    """NHS.UK components our pages render: macros our templates import, our widgets' components, and theirs."""
    from forms.widgets import NhsukWidget

    found = {
        m
        for path in (ROOT / "portal" / "templates").rglob("*.html")
        for m in COMPONENT_REFERENCE.findall(path.read_text())
    }
    found |= set(COMPONENT_REFERENCE.findall((NHSUK_TEMPLATES / "template.jinja").read_text()))
    widgets = list(NhsukWidget.__subclasses__())
    while widgets:
        widget = widgets.pop()
        widgets.extend(widget.__subclasses__())
        found.add(widget.component)
    pending = set(found)
    while pending:
        for path in (NHSUK_TEMPLATES / "components" / pending.pop()).glob("*.jinja"):
            new = set(COMPONENT_REFERENCE.findall(path.read_text())) - found
            found |= new
            pending |= new
    found.discard("")
    return found


def _content_files(built_js: Path) -> list[str]:
    """Everything that can put a class name on a page: templates, Python that sets classes, the JS we ship."""
    files = [str(built_js), str(NHSUK_TEMPLATES / "template.jinja"), str(NHSUK_TEMPLATES / "macros" / "*.jinja")]
    files += [str(NHSUK_TEMPLATES / "components" / name / "*.jinja") for name in sorted(_used_components())]
    files += [str(ROOT / "portal" / "templates" / "**" / "*.html"), str(ROOT / "portal" / "**" / "*.py")]
    files += [str(ROOT / "forms" / "**" / "*.py"), str(ROOT / "easy_read" / "**" / "*")]
    return files


def _prune_css(css: Path, built_js: Path) -> None:
    """Remove rules no page can use; the safelist in `purgecss.config.mjs` keeps state and size classes."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(NODE_BIN / "purgecss"),
            "--config",
            str(PURGECSS_CONFIG),
            "--css",
            str(css),
            "--content",
            *_content_files(built_js),
            "--output",
            str(css),
        ],
        check=True,
        cwd=ROOT,
    )


SVG_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SVG_SPACE_BETWEEN_TAGS = re.compile(r">\s+<")


def _copy_pictures(work: Path) -> None:
    """Only the easy-read pictures (OpenMoji), one file per idea, comments and indentation dropped."""
    from easy_read.pictures import PICTURES, asset_name, source_file

    for idea in PICTURES:
        svg = SVG_COMMENT.sub("", source_file(idea).read_text())
        (work / asset_name(idea)).write_text(SVG_SPACE_BETWEEN_TAGS.sub("><", svg).strip() + "\n")


def build() -> dict[str, str]:
    """Build every asset and write `manifest.json` (logical name → hashed name)."""
    shutil.rmtree(DIST, ignore_errors=True)
    DIST.mkdir(parents=True)
    work = DIST / "_work"
    work.mkdir()
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(NODE_BIN / "sass"),
            "--no-source-map",
            "--style=compressed",
            "--quiet-deps",
            f"--load-path={ROOT / 'node_modules'}",
            str(SOURCE / "portal.scss"),
            str(work / "portal.css"),
        ],
        check=True,
    )
    for entry in JS_ENTRY_POINTS:
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                str(NODE_BIN / "esbuild"),
                str(SOURCE / f"{entry}.mjs"),
                "--bundle",
                "--minify",
                "--format=esm",
                "--target=es2020",
                "--log-level=warning",
                f"--outfile={work / f'{entry}.js'}",
            ],
            check=True,
        )
    _prune_css(work / "portal.css", work / "portal.js")
    for name in COPIED_IMAGES:
        shutil.copy(NHSUK_IMAGES / name, work / name)
    _copy_pictures(work)

    manifest: dict[str, str] = {}
    for built in sorted(work.iterdir()):
        target = DIST / _hashed(built).name
        built.rename(target)
        if target.suffix in COMPRESSIBLE:
            _compress(target)
        manifest[built.name] = target.name
    work.rmdir()
    (DIST / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


@cache
def manifest() -> dict[str, str]:
    """The built manifest; read once per process."""
    path = DIST / "manifest.json"
    if not path.exists():
        raise RuntimeError("Front-end assets are not built: run `make assets`.")
    return json.loads(path.read_text())


def asset_path(name: str) -> str:
    """URL path of a built asset by its logical name, e.g. `portal.css`."""
    return f"/assets/{manifest()[name]}"


if __name__ == "__main__":
    if sys.argv[1:] != ["build"]:
        sys.exit("usage: python -m portal.assets build")
    for logical, hashed in build().items():
        print(f"{logical} -> {hashed}")
