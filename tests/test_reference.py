"""The format reference: data file, checks and catalogue agree; a wrong value is caught and named; both
languages render. The benchmark behind the performance page is tested in tests/test_bench_formats.py."""
import copy
import json
import re

import pytest

from tools import reference
from tools.tables import slug
from tools.paths import LANGUAGES


def test_data_checks_and_catalogue_agree():
    found = reference.problems()
    assert not found, "\n".join(found)


def test_a_wrong_value_is_named_with_both_values(monkeypatch):
    spec = copy.deepcopy(reference.data())
    spec["formats"]["safetensors"]["expect"]["lazy"] = "no"
    spec["formats"]["onnx"]["expect"]["bytes"] = 1
    monkeypatch.setattr(reference, "data", lambda: spec)
    found = reference.problems()
    assert ("data/formats.yaml says safetensors.lazy = no, but snippets/reference/check_lazy.py found default"
            in found), found
    assert any(p.startswith("data/formats.yaml says onnx.bytes = 1, but snippets/reference/save_every_format.py "
                            "found ") for p in found), found


def test_a_wrong_version_fact_is_named(monkeypatch):
    spec = copy.deepcopy(reference.data())
    spec["versions"]["onnx_dynamo_default"]["changed_in"] = "2.7"
    monkeypatch.setattr(reference, "data", lambda: spec)
    assert any("onnx_dynamo_default.changed_in = 2.7" in p and "itself says 2.9" in p for p in reference.problems())


def test_a_missing_translation_fails(monkeypatch):
    cat = copy.deepcopy(reference.catalogue())
    cat["val.lazy.default"].pop("zh")
    monkeypatch.setattr(reference, "catalogue", lambda: cat)
    assert "data/reference-i18n.yaml: 'val.lazy.default' has no zh text" in reference.problems()


def test_the_build_refuses_a_page_when_the_reference_disagrees(monkeypatch):
    from mkdocs.exceptions import PluginError
    monkeypatch.setattr(reference, "_checked", lambda: ("data/formats.yaml says x.y = 1, but check_z.py found 2",))
    with pytest.raises(PluginError, match="x.y = 1"):
        reference.expand("<!-- reference-table: glance -->\n", "en")
    assert reference.expand("no table here\n", "en") == "no table here\n"


def test_verified_record_matches_the_installed_versions():
    record = json.loads(reference.VERIFIED.read_text(encoding="utf-8"))
    assert record["versions"] == reference.installed_versions(), (
        "run `python -m tools.reference record` after `make outputs`")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("table", ["glance", "save", "capabilities", "versions", "verified"])
def test_every_table_renders_in_both_languages(table, lang):
    text = reference.render(table, lang)
    if table in ("glance", "save", "capabilities"):
        formats = reference.data()["formats"]
        assert re.findall(r'<tr id="([a-z0-9-]+)"', text) == [f"{table}-{slug(f)}" for f in formats]
    if table == "capabilities":  # one linkable cell per format and property, named by their keys
        cells = re.findall(r'<td id="([a-z0-9-]+)"', text)
        assert cells == [f"{slug(f)}-{slug(p)}" for f in reference.data()["formats"] for p in reference.PROPERTIES]
    assert not re.search(r"\{[a-z_]+\}", text), text  # no {placeholder} left unfilled


@pytest.mark.parametrize("lang", LANGUAGES)
def test_capability_cells_are_verdicts_read_from_the_catalogue(lang, monkeypatch):
    """✓ / ✗ where the English value starts with yes / no, – otherwise; the reason follows; bold stays bold."""
    cat = reference.catalogue()
    ran = reference._verdict("val.opening.runs_code", lang, ran="`payload`")
    assert ran.startswith('<span class="rt-mark rt-no rt-strong" aria-hidden="true">✗</span>')
    assert "**" in ran and "`payload`" in ran
    assert reference._verdict("val.without_python.not_verified", lang) == (
        f'<span class="rt-mark rt-partial" aria-hidden="true">–</span> {cat["val.without_python.not_verified"][lang]}')
    bare = reference._verdict("val.optimizer_state.true", lang)   # "yes" alone: the word is shown
    assert bare.endswith(" " + cat["verdict.yes"][lang]) and "rt-sr" not in bare
    # emphasis on part of a value, with a link after it, stays as written
    cat = dict(cat, **{"val.x.true": {"en": "**no: it ran** ([how](security.md))", "zh": "**否：执行了**（[原理](security.md)）"}})
    monkeypatch.setattr(reference, "catalogue", lambda: cat)
    linked = reference._verdict("val.x.true", lang)
    assert linked.endswith("**it ran** ([how](security.md))" if lang == "en" else "**执行了**（[原理](security.md)）")
    reason = reference._verdict("val.without_torch.onnxruntime", lang)
    assert "ONNX Runtime" in reason and 'class="rt-sr"' in reason and not reason.rstrip().endswith("：")


def test_a_column_added_to_the_data_renders_without_other_changes(monkeypatch):
    """A new property (as when a column is split in two) needs only its check, its expectation and its words."""
    props = dict(reference.PROPERTIES, payload_refused=reference.PROPERTIES["opening"])
    monkeypatch.setattr(reference, "PROPERTIES", props)
    words = {f"val.payload_refused.{v}": {"en": "yes: refused", "zh": "是：拒绝"}
             for v in ("no_code", "no_code_hangs", "default_only")}
    words["val.payload_refused.runs_code"] = {"en": "**no: it ran**", "zh": "**否：执行了**"}
    cat = dict(reference.catalogue(), **{"prop.payload_refused": {"en": "Refuses a payload", "zh": "拒绝载荷"}}, **words)
    monkeypatch.setattr(reference, "catalogue", lambda: cat)
    text = reference.render("capabilities", "en")
    assert '<td id="onnx-payload-refused"' in text and "Refuses a payload" in text


def test_two_keys_that_would_share_an_id_are_refused():
    from tools.tables import Column, Row, render
    with pytest.raises(ValueError, match="export-pt2"):
        render("t", Column("a", "A"), [Column("b", "B")],
               [Row("export_pt2", "x", ("1",)), Row("export-pt2", "y", ("2",))], link_label=str)


# ---------------------------------------------------------------- the untrusted-source columns and the scanners


def test_a_wrong_safety_claim_is_named(monkeypatch):
    """The worst bug this site can have is a wrong "safe": saying TorchScript opens safely must fail the build."""
    spec = copy.deepcopy(reference.data())
    spec["formats"]["torchscript"]["expect"]["opening"] = "no_code"
    spec["formats"]["onnx"]["expect"]["running"] = "touches_files"
    monkeypatch.setattr(reference, "data", lambda: spec)
    found = reference.problems()
    assert ("data/formats.yaml says torchscript.opening = no_code, but snippets/reference/check_safety.py found "
            "runs_code" in found), found
    assert any(p.startswith("data/formats.yaml says onnx.running = touches_files") for p in found), found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_safety_cell_names_its_payloads_and_links_its_check(lang):
    from tools.tables import slug
    table = reference.render("capabilities", lang)
    for prop, anchor in (("opening", "#untrusted"), ("running", "#running")):
        for fmt in reference.data()["formats"]:
            cell_id = f"{slug(fmt)}-{slug(prop)}"
            match = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', table, re.S)
            assert match, f"no cell {cell_id} in the {lang} capabilities table"
            cell = match.group(1)
            assert f"]({anchor})" in cell, (prop, cell)
            if "no graph" not in cell and "没有计算图" not in cell:
                assert re.search(r"`[^`]+`", cell), (prop, cell)  # at least one payload, by name


def test_no_format_that_ran_a_payload_is_called_safe():
    for fmt in reference.data()["formats"]:
        opening = reference.found(fmt, "opening")[1]
        assert (opening["opening"] == "runs_code") == bool(opening["ran"]) or opening["opening"] == "default_only"
        if opening["opening"] in ("no_code", "no_code_hangs"):
            assert not opening["ran"] and opening["tried"], fmt


def scanners():
    from tools.scanner_table import findings
    return findings()["payloads"]


def test_the_scanner_table_backs_what_the_security_page_says():
    rows = scanners()
    live = {name: row for name, row in rows.items() if not name.startswith("benign: ")}
    benign = {name: row for name, row in rows.items() if name.startswith("benign: ")}
    assert len(live) >= 12 and all(row["live"] for row in live.values()), "every payload must be shown to run"
    # "Only the allowlist stopped everything"
    assert all(row["torch.load"]["caught"] and row["get_unsafe_globals"]["caught"] for row in live.values())
    for tool in ("picklescan", "modelscan"):
        assert not all(row[tool]["caught"] for row in live.values()), tool
    # "picklescan's exit code 0 does not mean safe": a live payload, suspicious findings, exit 0
    row = live["_import_dotted_name"]["picklescan"]["result"]
    assert row.startswith("exit 0") and not row.endswith("suspicious 0"), row
    assert not live["TorchScript __setstate__"]["picklescan"]["caught"]
    # get_unsafe_globals_in_checkpoint fails, rather than lists, on these
    for name in ("os.system (INST, protocol 0)", "os.system (OBJ, protocol 1)", "nested pickle.loads",
                 "legacy torch.save", "TorchScript __setstate__", ".pt2 sample inputs"):
        assert live[name]["get_unsafe_globals"]["result"].startswith("error"), name
    # modelscan's misses, as listed on the page
    for name in ("_import_dotted_name", "legacy torch.save", "TorchScript __setstate__", ".pt2 sample inputs"):
        assert not live[name]["modelscan"]["caught"], name
    # fickling flags the benign files; the pickle scanners see nothing in the .pt2
    assert all(row["fickling"]["caught"] for row in benign.values())
    assert not any(live[".pt2 sample inputs"][t]["caught"] for t in ("picklescan", "modelscan", "fickling"))
    # no false positive from torch's own defences, picklescan or modelscan
    for tool in ("torch.load", "get_unsafe_globals", "picklescan", "modelscan"):
        assert not any(row[tool]["caught"] for row in benign.values()), tool


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_scanner_table_renders(lang):
    text = reference.render("scanners", lang)
    assert len([line for line in text.splitlines() if line.startswith("|")]) == 2 + len(scanners())
    assert not re.search(r"\{[a-z_]+\}", text), text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_counts_in_the_prose_are_the_checks_counts(lang):
    """The reference's text quotes how many globals, loads, operators and kernels the checks tried: keep it true."""
    from tools.paths import DOCS, OUTPUTS
    page = (DOCS / lang / "reference.md").read_text(encoding="utf-8")
    for check, pattern in (("check_safety", r"(\d+) globals"), ("check_safety", r"(\d+) loads"),
                           ("check_running", r"(\d+) operators of the standard domains"),
                           ("check_running", r"(\d+) kernels registered")):
        output = (OUTPUTS / "reference" / f"{check}.txt").read_text(encoding="utf-8")
        count = re.search(pattern, output).group(1)
        assert re.search(rf"(?<!\d){count}(?!\d)", page), f"docs/{lang}/reference.md should quote {count} ({check})"
