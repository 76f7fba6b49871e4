"""The Chinese site as a Chinese reader sees it in Chromium: no stray spaces between Chinese characters, and no
English left in the interface.

One walk loads every /zh/ page (and the 404 page) once and reads, in the browser:
- each block of prose in the article (paragraphs, list items, cells, headings, captions) with code replaced by a
  placeholder: whitespace between two CJK characters there is a space the reader sees ("运行 实际打印");
- the words of the interface: header, navigation, footer, table of contents, search, table headers, code-block
  titles, figure captions and plot labels, admonition titles, and the title/aria-label/placeholder/alt of every
  element. Every Latin word there must be in ALLOWED (names of products, formats and APIs, units) or look like
  code (a dotted or underscored name, a file name).
"""
from __future__ import annotations

import re

import pytest

from built import built_pages

# Names a Chinese page keeps in English: products, formats, libraries, units. Keep it short: a word of the
# interface that is not a name belongs translated.
ALLOWED = set("""
PyTorch Python TorchScript ONNX safetensors GGUF ExecuTorch Hugging Face Jupyter Notebook NumPy pickle zip JSON
protobuf TensorFlow LiteRT Core ML TensorRT Keras CUDA CPU GPU Linux macOS Windows MkDocs Material for English
MB MiB GB GiB KB s ms VmHWM RssAnon Torch-TensorRT AOTInductor llama cpp picklescan onnxruntime torch torchvision
ggml Android iOS NVIDIA pt pth bin pt2 pte onnx gguf state_dict mmap SavedModel
dtype cpu torchao onnxscript fickling modelscan executorch numpy DCP FSDP2 InferenceSession
""".split())
CODE_LIKE = re.compile(r"^[\w-]*[._/()][\w.()/-]*$|^\w+\d\w*$")

_READ = """() => {
  const CJK = "\\u2018\\u2019\\u201c\\u201d\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef";
  const gap = new RegExp(`[${CJK}]\\\\s+[${CJK}]`, "g");
  const CODE = "pre, code, kbd, samp, script, style";
  const BLOCK = "p, li, td, th, h1, h2, h3, h4, h5, h6, dt, dd, figcaption, caption, summary, .admonition-title";
  const gaps = [];
  for (const el of document.querySelectorAll(`article :is(${BLOCK})`)) {
    let text = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === 3) text += child.data;
        else if (child.nodeType === 1) {
          if (child.matches(CODE) || child.matches("svg")) text += "X";
          else if (child.matches(BLOCK)) text += "\\n\\n";
          else walk(child);
        }
      }
    };
    walk(el);
    for (const m of text.matchAll(gap))
      gaps.push(text.slice(Math.max(0, m.index - 12), m.index + m[0].length + 12).replace(/\\s+/g, " "));
  }
  const INTERFACE = [
    "header", ".md-nav", "footer", ".md-search", ".md-source", "article th", "article tfoot", "article caption",
    ".highlight .filename", "figcaption", "article svg text", ".admonition-title", "article > h1:only-child",
  ];
  const words = [];
  const add = (text, where) => {
    for (const m of (text || "").matchAll(/[A-Za-z][\\w.()\\/-]*[\\w)]|[A-Za-z]/g)) words.push([m[0], where]);
  };
  for (const el of document.querySelectorAll(INTERFACE.join(", "))) {
    const where = el.closest("svg") ? "plot" : el.tagName.toLowerCase() + "." + (el.getAttribute("class") || "").split(" ")[0];
    const tw = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n; (n = tw.nextNode());)
      if (!n.parentElement.closest("pre, code, kbd, script, style")) add(n.data, where);
  }
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]"))
    for (const a of ["title", "aria-label", "placeholder", "alt"])
      if (!el.closest("pre, code")) add(el.getAttribute(a), "@" + a);
  if (document.querySelector(".md-content h1") && location.pathname.endsWith("404.html"))
    add(document.querySelector(".md-content").innerText, "404");
  // The table of contents repeats the headings, code included: words the page shows as code are code there too.
  const code = [...document.querySelectorAll("article code")].map(e => e.textContent).join(" ");
  return {gaps, words, code};
}"""


@pytest.fixture(scope="module")
def read(browser, site, served) -> dict[str, dict]:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    found = {}
    try:
        for url in built_pages(site, "zh") + ["404.html"]:
            page.goto(served + "zh/" + url, wait_until="load")
            found[url or "(home)"] = page.evaluate(_READ)
    finally:
        context.close()
    return found


def test_no_space_between_chinese_characters(read):
    gaps = [f"/zh/{url}: …{gap}…" for url, seen in read.items() for gap in seen["gaps"]]
    assert not gaps, f"{len(gaps)} spaces between Chinese characters:\n" + "\n".join(gaps[:40])


def test_no_english_in_the_chinese_interface(read):
    english = sorted({f"/zh/{url}: {word!r} ({where})" for url, seen in read.items() for word, where in seen["words"]
                      if word not in ALLOWED and not CODE_LIKE.match(word)
                      and not re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", seen["code"])})
    assert not english, f"English words in the Chinese interface:\n" + "\n".join(english[:60])


def test_the_walk_saw_the_interface(read):
    """The check reads what it should: the theme toggle and search box of every page, a plot's labels."""
    assert len(read) >= 18
    assert all(any(where == "@aria-label" for _, where in seen["words"]) for seen in read.values())
    assert any(where == "plot" for seen in read.values() for _, where in seen["words"]), "no plot label read"
