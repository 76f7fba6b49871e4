"""Where things live in the repository: one place, so no module guesses a path."""
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SNIPPETS = REPO / "snippets"          # code shown on the site; every file is executed by the tests
GENERATED = REPO / "generated"        # written by commands, never by hand
OUTPUTS = GENERATED / "outputs"       # what each snippet printed, mirrored by path
DOCS = REPO / "docs"                  # prose: docs/en and docs/zh, one page tree per language
LANGUAGE_FOLDERS = {"en": "", "zh": "zh/"}  # language -> its folder below the built site's root
LANGUAGES = tuple(LANGUAGE_FOLDERS)
REQUIREMENTS = REPO / "requirements.txt"
