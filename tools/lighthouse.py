"""Lighthouse scores of the key pages in both languages (make lighthouse).

    python -m tools.lighthouse [--site DIR] [--desktop]

Builds the site into a temporary folder (or takes a built one), serves it on 127.0.0.1, and runs Lighthouse
(node_modules, `npm install`) with Debian's chromium (CHROME_PATH=/usr/bin/chromium; never a downloaded browser)
on the home page, a guide page and the reference page in English and Chinese. Prints the four scores and exits 1
when one is below its target. Lighthouse's default is a mid-range phone on a slow 4G network (simulated).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.paths import LANGUAGE_FOLDERS, REPO
from tools.site import build, url_of
from tools.serve_static import serve

# The pages checked here, and screenshotted by the tests (tests/browser/test_looks.py).
KEY_PAGES = {"home": "index.md", "guide": "save-load.md", "reference": "reference.md"}
TARGETS = {"performance": 95, "accessibility": 95, "best-practices": 95, "seo": 90}
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"


def run_lighthouse(url: str, out: Path, desktop: bool) -> tuple[dict[str, int], dict]:
    profile = tempfile.mkdtemp(prefix="lighthouse-profile-")
    try:
        command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
                   "--only-categories=" + ",".join(TARGETS),
                   f"--chrome-flags={CHROME_FLAGS} --user-data-dir={profile}"]
        if desktop:
            command.append("--preset=desktop")
        subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=CHROME), timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in TARGETS}, report


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    return [f"{r['id']} ({report['audits'][r['id']]['score']})" for r in refs if r.get("weight")
            and report["audits"][r["id"]]["score"] is not None and report["audits"][r["id"]]["score"] < 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lighthouse scores of the key pages in both languages.")
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--desktop", action="store_true", help="desktop preset instead of the mobile default")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("lighthouse is not installed: run `npm install --no-audit --no-fund` (make lighthouse does)")
        return 2
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        site = args.site or Path(tmp) / "site"
        if not args.site:
            build(site, quiet=True, check=True)
        below = []
        print(f"{'page':<24}" + "".join(f"{name:>16}" for name in TARGETS))
        with serve(site) as base:
            for lang, prefix in LANGUAGE_FOLDERS.items():
                for name, md in KEY_PAGES.items():
                    page = prefix + url_of(md)
                    scores, report = run_lighthouse(base + page, Path(tmp) / "report.json", args.desktop)
                    print(f"{'/' + page:<24}" + "".join(f"{scores[c]:>16}" for c in TARGETS), flush=True)
                    for category, score in scores.items():
                        if score < TARGETS[category]:
                            below.append(f"/{page} {category} {score} < {TARGETS[category]}: "
                                         + ", ".join(failing_audits(report, category)))
        print("targets: " + ", ".join(f"{c} >= {t}" for c, t in TARGETS.items()))
        if below:
            print("BELOW TARGET:\n  " + "\n  ".join(below))
            return 1
        print("All scores meet their targets.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
