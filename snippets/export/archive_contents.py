# Run after: export_and_save.py
import json
import zipfile

with zipfile.ZipFile("net.pt2") as z:
    for name in z.namelist():
        print(name)
    root = z.namelist()[0].split("/")[0]
    print("archive_format:", z.read(f"{root}/archive_format").decode())
    weights = json.loads(z.read(f"{root}/data/weights/model_weights_config.json"))["config"]
    for fqn, entry in weights.items():
        sizes = [s["as_int"] for s in entry["tensor_meta"]["sizes"]]
        print(f"{fqn} -> {entry['path_name']} {sizes} pickled={entry['use_pickle']}")
    model = json.loads(z.read(f"{root}/models/model.json"))
    print("model.json keys:", sorted(model))
    print("schema_version:", model["schema_version"], "| torch_version:", model["torch_version"])
    print("ops:", [node["target"] for node in model["graph_module"]["graph"]["nodes"]])
