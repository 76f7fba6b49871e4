"""torch.hub.load_state_dict_from_url still defaults to weights_only=False: a pickle from the URL runs."""
import os
import pathlib
import shutil

import torch


class Payload:
    def __reduce__(self):
        # Harmless stand-in: unpickling calls open("PAYLOAD_RAN", "w"). Any function could stand here.
        return (open, ("PAYLOAD_RAN", "w"))


torch.save({"weight": torch.ones(2), "extra": Payload()}, "weights.pt")
url = pathlib.Path("weights.pt").absolute().as_uri()

for weights_only in (True, None):
    shutil.rmtree("downloads", ignore_errors=True)
    options = {} if weights_only is None else {"weights_only": weights_only}
    try:
        torch.hub.load_state_dict_from_url(url, model_dir="downloads", progress=False, **options)
        outcome = "loaded"
    except Exception as error:
        outcome = f"refused ({type(error).__name__})"
    shown = "weights_only=True" if weights_only else "the default"
    print(f"{shown:<18} {outcome}; payload ran: {os.path.exists('PAYLOAD_RAN')}")
