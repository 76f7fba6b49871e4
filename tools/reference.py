"""The format reference: expected values in data/formats.yaml, found values in the checks' stored outputs.

The checks are the snippets in snippets/reference/; each prints its findings as JSON, and `make outputs` stores
that in generated/outputs/reference/. Every table cell on the reference page is rendered from what a check
found, never from the data file; the data file says what the checks must find, so that a wrong value there (or a
change in behaviour after an upgrade) fails the build with the format, the property and both values.

    python -m tools.reference              list the problems (exit 1 if any)
    python -m tools.reference record       run every check again, compare with the stored outputs, and write
                                           generated/reference/verified.json (versions and today's date)
    python -m tools.reference render TABLE LANG    print one table as Markdown

Pages ask for a table with a line `<!-- reference-table: NAME -->`; the MkDocs hook calls expand().
"""
from __future__ import annotations

import datetime
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

import yaml

from tools.paths import GENERATED, LANGUAGES, OUTPUTS, REPO, SNIPPETS
from tools.versions import installed_versions

DATA = REPO / "data" / "formats.yaml"
CATALOGUE = REPO / "data" / "reference-i18n.yaml"
CHECKS = SNIPPETS / "reference"
VERIFIED = GENERATED / "reference" / "verified.json"
BENCHMARK = GENERATED / "benchmarks" / "formats.json"

# property -> the check that finds it (a snippet in snippets/reference/) and the key in its JSON
PROPERTIES = {
    "stores": ("check_without_class.py", "stores"),
    "needs_class": ("check_without_class.py", "needs_class"),
    "without_python": (("check_without_python.py", "check_torchscript_cpp.py", "check_executorch_cpp.py"),
                       "without_python"),
    "opening": ("check_safety.py", "opening"),  # does opening the file run code of its author?
    "running": ("check_running.py", "running"),  # can running the model do more than compute?
    "lazy": ("check_lazy.py", "lazy"),
    "without_torch": (("check_other_frameworks.py", "check_executorch_cpp.py"), "without_torch"),
    "optimizer_state": ("check_optimizer_state.py", "optimizer_state"),
    "bytes": ("save_every_format.py", "bytes"),
}
NOT_VERIFIED = "not_verified"  # without_python, for a format that no check ran outside Python
_PLACEHOLDER = re.compile(r"^<!-- reference-table: ([a-z_-]+) -->$", re.MULTILINE)


class ReferenceError(Exception):
    """The data file, the checks and the catalogue disagree."""


# ---------------------------------------------------------------- reading


def data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def catalogue() -> dict:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


def finding(check: str) -> dict | None:
    """The JSON a check printed last, from its stored output; None if it has no stored output."""
    path = OUTPUTS / "reference" / check.replace(".py", ".txt")
    if not path.exists():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line == "{"), None)
    if start is None:
        raise ReferenceError(f"{path.relative_to(REPO)}: no JSON found (a check must end by printing its findings)")
    return json.loads("\n".join(lines[start:]))


def checks_for(prop: str) -> tuple[str, ...]:
    """The checks that may report a property (each for its own formats)."""
    checks = PROPERTIES[prop][0]
    return (checks,) if isinstance(checks, str) else checks


def found(fmt: str, prop: str):
    """What the checks found for one property of one format: (value, detail, check) or None if not checked."""
    key = PROPERTIES[prop][1]
    for check in checks_for(prop):
        result = finding(check) or {}
        if fmt in result and key in result[fmt]:
            return result[fmt][key], result[fmt], check
    if prop == "without_python":
        return NOT_VERIFIED, None, None
    return None


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ---------------------------------------------------------------- problems


def problems() -> list[str]:
    """Every disagreement, each naming what to fix."""
    from tools.outputs import staleness
    from tools.snippets import Snippet

    out: list[str] = []
    spec = data()
    cat = catalogue()
    check_files = sorted(p.name for p in CHECKS.glob("*.py"))
    for check in check_files:
        why = staleness(Snippet(f"reference/{check}"))
        if why:
            out.append(f"the output of snippets/reference/{check} {why}. Run `make outputs`.")
    if out:
        return out  # comparing with stale findings would only add noise

    save_code = (CHECKS / "save_every_format.py").read_text(encoding="utf-8")
    load_code = (CHECKS / "check_without_class.py").read_text(encoding="utf-8")
    for fmt, entry in spec["formats"].items():
        for prop, expected in entry["expect"].items():
            if prop not in PROPERTIES:
                out.append(f"data/formats.yaml: {fmt}.{prop} is not a property any check finds "
                           f"(known: {', '.join(PROPERTIES)})")
                continue
            got = found(fmt, prop)
            if got is None:
                out.append(f"data/formats.yaml expects {fmt}.{prop} = {_text(expected)}, but no check reports it "
                           f"(no entry for {fmt} in {', '.join('snippets/reference/' + c for c in checks_for(prop))})")
            elif _text(got[0]) != _text(expected):
                by = f"snippets/reference/{got[2]}" if got[2] else "no check (nothing ran it outside Python)"
                out.append(f"data/formats.yaml says {fmt}.{prop} = {_text(expected)}, but {by} found {_text(got[0])}")
        for prop in PROPERTIES:
            if prop not in entry["expect"]:
                out.append(f"data/formats.yaml: {fmt} has no expected value for {prop}")
        for piece in _pieces(entry["save"]):
            if piece not in save_code:
                out.append(f"data/formats.yaml: {fmt}.save `{piece}` is not in snippets/reference/save_every_format.py")
        if entry["load"] not in load_code:
            out.append(f"data/formats.yaml: {fmt}.load `{entry['load']}` is not in snippets/reference/check_without_class.py")
    for prop, (_, key) in PROPERTIES.items():
        reported: dict[str, list[str]] = {}
        for check in checks_for(prop):
            for fmt, values in (finding(check) or {}).items():
                if fmt not in spec["formats"] and fmt != "torch":
                    out.append(f"snippets/reference/{check} reports format '{fmt}', which data/formats.yaml does not list")
                if key in values:
                    reported.setdefault(fmt, []).append(check)
        # found() takes the first: a second answer to the same question would be silently ignored
        out += [f"{' and '.join(checks)} both report {fmt}.{prop}: one check per cell"
                for fmt, checks in reported.items() if len(checks) > 1]

    versions = finding("check_versions.py") or {}
    torch_now = versions.get("torch", "0")
    for fact, entry in spec["versions"].items():
        got = versions.get(fact)
        if got is None:
            out.append(f"data/formats.yaml lists version fact {fact}, but snippets/reference/check_versions.py does not report it")
            continue
        if str(got["now"]) != str(entry["now"]):
            out.append(f"data/formats.yaml says {fact}.now = {entry['now']}, but check_versions.py found {got['now']} "
                       f"on torch {torch_now}")
        if got.get("torch_says") and got["torch_says"] != entry["changed_in"]:
            out.append(f"data/formats.yaml says {fact}.changed_in = {entry['changed_in']}, but torch {torch_now} "
                       f"itself says {got['torch_says']} (check_versions.py)")
        if _version(entry["changed_in"]) > _version(torch_now):
            out.append(f"data/formats.yaml says {fact} changed in {entry['changed_in']}, later than the pinned "
                       f"torch {torch_now}: the check cannot have seen it")

    for key in sorted(_keys_used(spec)):
        for lang in LANGUAGES:
            if not (cat.get(key) or {}).get(lang):
                out.append(f"data/reference-i18n.yaml: '{key}' has no {lang} text")

    try:
        record = json.loads(VERIFIED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        out.append(f"{VERIFIED.relative_to(REPO)} is missing: run `python -m tools.reference record`")
    else:
        for name, version in installed_versions().items():
            if record["versions"].get(name) != version:
                out.append(f"{VERIFIED.relative_to(REPO)} records {name} {record['versions'].get(name)}, but "
                           f"{version} is installed: run `python -m tools.reference record`")
        if sorted(record.get("checks", [])) != [f"reference/{name}" for name in check_files]:
            out.append(f"{VERIFIED.relative_to(REPO)} records other checks than snippets/reference/ holds "
                       f"(the page says every check ran): run `python -m tools.reference record`")
    return out


def _pieces(code) -> list[str]:
    return [code] if isinstance(code, str) else list(code)


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _keys_used(spec: dict) -> set[str]:
    keys = {"col.format", "col.what", "col.when", "col.suffixes", "col.scenario", "col.save", "col.load",
            "col.fact", "col.changed_in", "col.now", "col.source", "verified", "verdict.yes", "verdict.no",
            "link.to"}
    keys |= {f"prop.{p}" for p in PROPERTIES if p != "bytes"} | {"prop.bytes"}
    for fmt, entry in spec["formats"].items():
        keys |= {f"name.{fmt}", f"what.{fmt}", f"when.{fmt}", entry["scenario"]}
        for prop, value in entry["expect"].items():
            if prop != "bytes":
                keys.add(f"val.{prop}.{_text(value)}")
    for fact, entry in spec["versions"].items():
        keys |= {f"fact.{fact}", f"now.{fact}.{entry['now']}", entry["source"]}
    return keys


# ---------------------------------------------------------------- rendering


def t(key: str, lang: str, **values) -> str:
    entry = catalogue().get(key) or {}
    if not entry.get(lang):
        raise ReferenceError(f"data/reference-i18n.yaml: '{key}' has no {lang} text")
    return entry[lang].format_map(values) if values else entry[lang]


def _size(n: int) -> str:
    return f"{n:,} B"


# A catalogue value whose English text starts "yes"/"no" is a verdict: the cell shows ✓ or ✗ and the rest of the text
# (after the colon, in each language) as its reason; any other value (an option, "not verified") shows – and the
# whole text. Read from the English text, so that a new or split column needs nothing but its catalogue entries.
# "yes" / "no" alone or before a colon: "no graph in the file" is a description, not a verdict
_VERDICT = re.compile(r"^(?P<bold>\*\*)?(?P<word>yes|no)(?=\s*(?:[:：]|\*\*|$))\s*[:：]?\s*")
_MARKS = {"yes": "✓", "no": "✗"}


def _verdict(key: str, lang: str, **values) -> str:
    english = t(key, "en", **values)
    text = t(key, lang, **values)
    match = _VERDICT.match(english)
    if not match:
        return f'<span class="rt-mark rt-partial" aria-hidden="true">–</span> {text}'
    word = match.group("word")
    said = t(f"verdict.{word}", lang)
    if lang == "en":
        bold, rest = match.group("bold") or "", english[match.end():]
    else:
        bold = "**" if text.startswith("**") else ""
        body = text[len(bold):]
        _, sep, after = body.partition("：") if "：" in body else body.partition(":")
        rest = after if sep else body
    mark = f'<span class="rt-mark rt-{word}{" rt-strong" if bold else ""}" aria-hidden="true">{_MARKS[word]}</span>'
    if not english[match.end():].strip("* ") or not rest.strip("* "):  # a bare yes or no: the word itself is shown
        return f"{mark} {said}"
    # the ** that opened before "yes"/"no" goes back before the reason, so the emphasis stays balanced
    gap = "，" if lang == "zh" else " "  # read aloud as "no, only weights"; no space inside Chinese text
    return f'{mark}<span class="rt-sr">{said}{gap}</span>{bold}{rest.strip()}'


def _cell(fmt: str, prop: str, lang: str) -> str:
    value, detail, _ = found(fmt, prop)
    if prop == "bytes":
        return _size(value)
    # A check's lists (how a loader is asked to be lazy; which payloads were tried, ran, hung) fill the text's slots.
    lists = {k: v for k, v in (detail or {}).items() if isinstance(v, list)}
    slots = {"how": " / ".join(lists.pop("how", [])), **{k: ", ".join(f"`{p}`" for p in v) for k, v in lists.items()}}
    return _verdict(f"val.{prop}.{_text(value)}", lang, **slots)


def _code(code: str) -> str:
    """Inline code for a table cell, breakable only between tokens (tools/layout_hooks.py adds the breaks)."""
    return f"`{code}`"


def _table(name: str, lang: str, first: str, columns: dict[str, str], rows: dict[str, tuple[str, list[str]]],
           cell_ids: bool = False) -> str:
    from tools.tables import Column, Row, render as render_table
    return render_table(name, Column(first, t(f"col.{first}", lang)),
                        [Column(key, label) for key, label in columns.items()],
                        [Row(key, header, tuple(cells)) for key, (header, cells) in rows.items()],
                        link_label=lambda what: t("link.to", lang, what=what), cell_ids=cell_ids)


def render(table: str, lang: str) -> str:
    spec = data()
    formats = spec["formats"]

    def suffixes(entry):
        return ", ".join(f"`{s}`" for s in entry["suffixes"])

    if table == "glance":
        return _table(table, lang, "format", {k: t(f"col.{k}", lang) for k in ("what", "when", "suffixes")},
                      {f: (f"**{t(f'name.{f}', lang)}**", [t(f"what.{f}", lang), t(f"when.{f}", lang), suffixes(e)])
                       for f, e in formats.items()})
    if table == "save":
        return _table(table, lang, "scenario", {k: t(f"col.{k}", lang) for k in ("format", "save", "load", "suffixes")},
                      {f: (t(e["scenario"], lang), [t(f"name.{f}", lang), _code(" ".join(_pieces(e["save"]))),
                                                    _code(e["load"]), suffixes(e)])
                       for f, e in formats.items()})
    if table == "capabilities":
        return _table(table, lang, "format", {p: t(f"prop.{p}", lang) for p in PROPERTIES},
                      {f: (f"**{t(f'name.{f}', lang)}**", [_cell(f, p, lang) for p in PROPERTIES]) for f in formats},
                      cell_ids=True)
    if table == "versions":
        versions = finding("check_versions.py")
        return _table(table, lang, "fact", {"changed_in": t("col.changed_in", lang),
                                            "now": t("col.now", lang, torch=versions["torch"]),
                                            "source": t("col.source", lang)},
                      {k: (t(f"fact.{k}", lang), [e["changed_in"], _verdict(f"now.{k}.{versions[k]['now']}", lang),
                                                  t(e["source"], lang)])
                       for k, e in spec["versions"].items()})
    if table == "verified":
        record = json.loads(VERIFIED.read_text(encoding="utf-8"))
        names = {"python": "Python"}
        listed = ", ".join(f"{names.get(k, k)} {v}" for k, v in record["versions"].items())
        return t("verified", lang, versions=listed, date=record["date"])
    if table == "scanners":
        from tools.scanner_table import render as render_scanners
        return render_scanners(lang)
    if table.startswith("benchmark"):
        from tools.bench_formats import render as render_benchmark
        return render_benchmark(table, lang)
    raise ReferenceError(f"unknown reference table '{table}'")


@lru_cache(maxsize=4)
def _checked_at(stamp: tuple) -> tuple[str, ...]:
    return tuple(problems())


def _checked() -> tuple[str, ...]:
    """problems(), computed once per state of the files it reads (once per build; again when `serve` sees edits)."""
    watched = [DATA, CATALOGUE, VERIFIED, *CHECKS.glob("*.py"), *(OUTPUTS / "reference").glob("*")]
    return _checked_at(tuple((str(p), p.stat().st_mtime_ns) for p in watched if p.exists()))


def expand(markdown: str, lang: str) -> str:
    """Replace each `<!-- reference-table: NAME -->` line with the table in `lang`; refuse to build on problems."""
    if not _PLACEHOLDER.search(markdown):
        return markdown
    found_problems = _checked()
    if found_problems:
        from mkdocs.exceptions import PluginError
        raise PluginError("The format reference disagrees with its checks:\n  " + "\n  ".join(found_problems))
    return _PLACEHOLDER.sub(lambda m: render(m.group(1), lang), markdown)


# ---------------------------------------------------------------- record


def record() -> int:
    """Run every reference check again; if all print what is stored, write the versions and today's date."""
    import tempfile

    from tools.outputs import mismatch_report
    from tools.snippet_runner import ChainRunner, SnippetRunner
    from tools.snippets import discover

    checks = [s for s in discover() if s.rel.startswith("reference/")]
    failed = []
    with SnippetRunner() as runner, tempfile.TemporaryDirectory(prefix="reference-") as root:
        chains = ChainRunner(runner, Path(root))
        for snippet in checks:
            result = chains.run(snippet)
            problem = None if result.ok else f"snippets/{snippet.rel} failed: {result.error or result.exit_code}"
            problem = problem or mismatch_report(result)
            if problem:
                failed.append(problem)
    if failed:
        print("\n".join(failed), file=sys.stderr)
        return 1
    VERIFIED.parent.mkdir(parents=True, exist_ok=True)
    VERIFIED.write_text(json.dumps({"date": datetime.date.today().isoformat(), "versions": installed_versions(),
                                    "checks": [s.rel for s in checks]}, indent=2) + "\n", encoding="utf-8")
    left = problems()
    print("\n".join(left) if left else f"reference: {len(checks)} checks ran as stored; wrote "
                                       f"{VERIFIED.relative_to(REPO)}")
    return 1 if left else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["record"]:
        return record()
    if argv[:1] == ["render"] and len(argv) == 3:
        print(render(argv[1], argv[2]))
        return 0
    found_problems = problems()
    print("\n".join(found_problems) if found_problems else "reference: data, checks and catalogue agree")
    return 1 if found_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
