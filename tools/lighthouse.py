"""Lighthouse scores of every kind of page in both languages (make lighthouse).

    python -m tools.lighthouse [--site DIR] [--runs N] [--desktop]

Builds the site into a temporary folder (or takes a built one), serves it on 127.0.0.1, and runs Lighthouse
(node_modules, `npm install`) with Debian's chromium (CHROME_PATH=/usr/bin/chromium; never a downloaded browser)
on every kind of page (home, a guide page, the reference, the performance results, the file identifier and the
walkthrough notebook) in English and Chinese, served gzip-compressed as GitHub Pages serves them. Lighthouse's
default is a mid-range phone on a slow 4G network (simulated).

A single run's performance score moves by several points from run to run on the same build (Lighthouse's
docs/variability.md), so each page runs N times (default 3) and the scores printed are those of the median run,
chosen by Lighthouse's own computeMedianRun (the run closest to the median first paint and time to interactive).
The score of every run is printed beside it. Exits 1 when a median score is below its target.
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

# Key pages, screenshotted by the tests (tests/browser/test_looks.py).
KEY_PAGES = {"home": "index.md", "guide": "save-load.md", "reference": "reference.md"}
# Every kind of page the site has, each checked here in both languages.
CHECKED_PAGES = {**KEY_PAGES, "performance": "performance.md", "identify": "identify.md",
                 "walkthrough": "walkthrough.md"}
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
# Lighthouse's choice of the representative run among several (lighthouse/core/lib/median-run.js).
MEDIAN_RUN = """
import {readFileSync} from 'node:fs';
import {computeMedianRun} from 'lighthouse/core/lib/median-run.js';
const runs = process.argv.slice(1).map(path => JSON.parse(readFileSync(path, 'utf8')));
console.log(runs.indexOf(computeMedianRun(runs)));
"""


def scores_of(report: dict) -> dict[str, int]:
    return {name: round(100 * (report["categories"][name]["score"] or 0)) for name in TARGETS}


def median_run(reports: list[Path]) -> int:
    """Index of the run Lighthouse itself picks as the median one."""
    done = subprocess.run(["node", "--input-type=module", "-e", MEDIAN_RUN, *map(str, reports)], cwd=REPO,
                          capture_output=True, text=True, check=True)
    return int(done.stdout.strip())


def run_lighthouse(url: str, out: Path, desktop: bool) -> dict:
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
    return json.loads(out.read_text(encoding="utf-8"))


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    return [f"{r['id']} ({report['audits'][r['id']]['score']})" for r in refs if r.get("weight")
            and report["audits"][r["id"]]["score"] is not None and report["audits"][r["id"]]["score"] < 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lighthouse scores of the key pages in both languages.")
    parser.add_argument("--site", type=Path, help="a built site (default: build one now)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median run counts (default 3)")
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
        print(f"{'page':<24}" + "".join(f"{name:>16}" for name in TARGETS) + "   performance of each run")
        with serve(site) as base:
            for lang, prefix in LANGUAGE_FOLDERS.items():
                for name, md in CHECKED_PAGES.items():
                    page = prefix + url_of(md)
                    paths = [Path(tmp) / f"report-{run}.json" for run in range(args.runs)]
                    reports = [run_lighthouse(base + page, path, args.desktop) for path in paths]
                    report = reports[median_run(paths)]
                    scores = scores_of(report)
                    each = " ".join(str(scores_of(r)["performance"]) for r in reports)
                    print(f"{'/' + page:<24}" + "".join(f"{scores[c]:>16}" for c in TARGETS) + f"   {each}",
                          flush=True)
                    for category, score in scores.items():
                        if score < TARGETS[category]:
                            below.append(f"/{page} {category} {score} < {TARGETS[category]}: "
                                         + ", ".join(failing_audits(report, category)))
        print(f"median of {args.runs} run(s) per page; targets: "
              + ", ".join(f"{c} >= {t}" for c, t in TARGETS.items()))
        if below:
            print("BELOW TARGET:\n  " + "\n  ".join(below))
            return 1
        print("All scores meet their targets.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
