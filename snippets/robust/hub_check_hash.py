"""torch.hub.load_state_dict_from_url with check_hash: what it checks, and when it checks nothing."""
import hashlib
import os
import pathlib
import shutil

import torch
import torch.nn as nn

torch.manual_seed(0)
# Publish: the convention is <name>-<first hex digits of the file's SHA-256>.<suffix>
os.makedirs("published", exist_ok=True)
torch.save(nn.Linear(4, 2).state_dict(), "published/model.pt")
digest = hashlib.sha256(pathlib.Path("published/model.pt").read_bytes()).hexdigest()
os.replace("published/model.pt", f"published/model-{digest[:8]}.pt")
url = pathlib.Path(f"published/model-{digest[:8]}.pt").absolute().as_uri()  # file://, so no network here

shutil.rmtree("downloads", ignore_errors=True)
state = torch.hub.load_state_dict_from_url(url, model_dir="downloads", check_hash=True, progress=False,
                                           weights_only=True)
print("loaded", list(state), "- the hash matched")

# Someone changes the published file (or a proxy serves another one) under the same name.
with open(f"published/model-{digest[:8]}.pt", "ab") as f:
    f.write(b"tampered")
try:
    torch.hub.load_state_dict_from_url(url, model_dir="downloads", check_hash=True, progress=False)
    print("second load: no error - the copy in downloads/ is used and never checked again")
except RuntimeError as error:
    print("second load:", error)
shutil.rmtree("downloads")
try:
    torch.hub.load_state_dict_from_url(url, model_dir="downloads", check_hash=True, progress=False)
except RuntimeError as error:
    print("fresh download:", error)

# The same tampered file under a name with no "-<hex digits>." part: check_hash has nothing to compare with.
shutil.copy(f"published/model-{digest[:8]}.pt", "published/model.pt")
shutil.rmtree("downloads")
unchecked = pathlib.Path("published/model.pt").absolute().as_uri()
torch.hub.load_state_dict_from_url(unchecked, model_dir="downloads", check_hash=True, progress=False)
print("no digest in the name: loaded, checked against nothing")
