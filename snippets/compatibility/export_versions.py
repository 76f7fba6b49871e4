"""What torch.export.save promises about versions, what a .pt2 file records, and what torch.export.load does
with a file from another schema version."""
import json
import logging
import warnings
import zipfile

import torch

torch.manual_seed(0)
model = torch.nn.Linear(3, 2).eval()

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.export.save(torch.export.export(model, (torch.randn(1, 3),)), "model.pt2")
print(f"warnings while exporting and saving: {len(caught)}")
doc = " ".join(torch.export.save.__doc__.split())
print("torch.export.save's documentation:", doc[: doc.index("Saves an")].strip())

with zipfile.ZipFile("model.pt2") as archive:
    members = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
program = json.loads(members["models/model.json"])
print("recorded in models/model.json:", {k: program[k] for k in ("schema_version", "torch_version")})


def rewrite(path, major, minor):
    """The same archive with another schema version written into models/model.json."""
    changed = dict(program, schema_version={"major": major, "minor": minor})
    with zipfile.ZipFile("model.pt2") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("models/model.json"):
                data = json.dumps(changed).encode()
            dst.writestr(item, data)


class Keep(logging.Handler):
    """torch.export.load logs the real error with its traceback, then raises a general one: keep the log record."""
    records = []

    def emit(self, record):
        self.records.append(record)


log = logging.getLogger("torch.export")
log.handlers[:] = [Keep()]  # instead of torch's own handler: no traceback with this machine's paths on the screen
log.propagate = False

major, minor = program["schema_version"]["major"], program["schema_version"]["minor"]
for label, version in (("a newer minor version", (major, minor + 1)),
                       ("an older major version", (major - 1, minor)),
                       ("a newer major version", (major + 1, 0))):
    rewrite("other.pt2", *version)
    try:
        out = torch.export.load("other.pt2").module()(torch.ones(1, 3))
        print(f"schema {version[0]}.{version[1]} ({label}): loads and runs, output {out.detach().round(decimals=4)}")
    except RuntimeError as error:
        cause = Keep.records[-1].exc_info[1]
        print(f"schema {version[0]}.{version[1]} ({label}): {type(error).__name__}: {str(error).strip()}")
        print(f"    logged before it: {type(cause).__name__}: {cause}")
