# Run after: dcp_save.py
"""What a DCP checkpoint folder holds: one file per rank, and .metadata, the map from each key to its pieces."""
from collections import defaultdict

from torch.distributed.checkpoint import FileSystemReader

metadata = FileSystemReader("checkpoint").read_metadata()
slices, whole = defaultdict(list), defaultdict(list)
for index, where in metadata.storage_data.items():
    if index.offset is None:  # a plain value (lr, betas, ...): written once, by one rank
        whole[where.relative_path].append(index.fqn)
    else:  # a tensor, or this rank's slice of one
        slices[where.relative_path].append(f"{index.fqn} at {tuple(index.offset)}")
for file in sorted(set(slices) | set(whole)):
    print(f"{file}: {len(slices[file])} tensor pieces, {len(whole[file])} other values")
    for key in sorted(slices[file])[:3] + sorted(whole[file])[:2]:
        print("   ", key)
weight = metadata.state_dict_metadata["model.0.weight"]
print("model.0.weight:", tuple(weight.size), "stored as",
      [f"{tuple(c.sizes)} at {tuple(c.offsets)}" for c in weight.chunks])
