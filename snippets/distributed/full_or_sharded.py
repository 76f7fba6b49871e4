"""FSDP2: the sharded state dict (each rank its slice, for DCP) or the full one (whole tensors, for torch.save)."""
import os
import tempfile

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from torch.distributed.checkpoint.state_dict import StateDictOptions, get_model_state_dict
from torch.distributed.fsdp import fully_shard

WORLD_SIZE = 2


def describe(state):
    if not state:
        return "an empty dict"
    weight = state["0.weight"]
    local = weight.to_local() if hasattr(weight, "to_local") else weight
    return f"{type(weight).__name__} {tuple(weight.shape)}, this rank holds {tuple(local.shape)}"


def compare(rank, store):
    dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=WORLD_SIZE)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
    fully_shard(model)
    sharded = get_model_state_dict(model)
    # full_state_dict gathers whole tensors; cpu_offload keeps them on rank 0 only (the others get nothing)
    full = get_model_state_dict(model, options=StateDictOptions(full_state_dict=True, cpu_offload=True))
    reports = [None] * WORLD_SIZE
    dist.all_gather_object(reports, (describe(sharded), describe(full)))
    if rank == 0:
        for r, (s, f) in enumerate(reports):
            print(f"rank {r}  sharded: {s}\n        full:    {f}")
        torch.save(full, "model_full.pt")  # one ordinary file, loadable without torch.distributed
        print("rank 0 saved model_full.pt:", sorted(torch.load("model_full.pt")))
    dist.destroy_process_group()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        # fork: the workers start as copies of this process, torch already imported, and this runs in a
        # notebook too. With CUDA, or on macOS, use mp.spawn(compare, ...) from a .py file instead.
        mp.start_processes(compare, args=(os.path.join(tmp, "store"),), nprocs=WORLD_SIZE, start_method="fork")
