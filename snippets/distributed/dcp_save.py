"""Two processes train a model sharded with FSDP2 and save one distributed checkpoint (DCP) together."""
import json
import os
import tempfile

import torch
import torch.distributed as dist
import torch.distributed.checkpoint as dcp
import torch.multiprocessing as mp
import torch.nn as nn
from torch.distributed.checkpoint.state_dict import get_state_dict
from torch.distributed.fsdp import fully_shard

WORLD_SIZE = 2


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))


def train_and_save(rank, store):
    # gloo runs on CPU; the processes find each other through a file, so no port is needed.
    dist.init_process_group("gloo", init_method=f"file://{store}", rank=rank, world_size=WORLD_SIZE)
    model = build()
    fully_shard(model)  # FSDP2: each rank keeps one slice of every parameter
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
    torch.manual_seed(1 + rank)  # each rank sees its own batch
    model(torch.randn(4, 8)).pow(2).mean().backward()
    optimizer.step()

    model_state, optimizer_state = get_state_dict(model, optimizer)  # sharded: DTensors
    weight = model_state["0.weight"]
    mine = f"{type(weight).__name__} of global shape {tuple(weight.shape)}, local shard {tuple(weight.to_local().shape)}"
    dcp.save({"model": model_state, "optimizer": optimizer_state}, checkpoint_id="checkpoint")

    reports = [None] * WORLD_SIZE
    dist.all_gather_object(reports, mine)  # rank 0 prints for everyone, in order
    full = {name: t.full_tensor() for name, t in model_state.items()}  # a collective: every rank joins
    if rank == 0:
        for r, text in enumerate(reports):
            print(f"rank {r}: 0.weight is a {text}")
        plain = build()  # what the trained model computes, to compare after loading it elsewhere
        plain.load_state_dict(full)
        with torch.no_grad():
            out = plain(torch.ones(1, 8))[0]
        with open("expected.json", "w") as f:
            json.dump([round(v, 6) for v in out.tolist()], f)
    dist.destroy_process_group()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        # fork: the workers start as copies of this process, torch already imported, and this runs in a
        # notebook too. With CUDA, or on macOS, use mp.spawn(train_and_save, ...) from a .py file instead.
        mp.start_processes(train_and_save, args=(os.path.join(tmp, "store"),), nprocs=WORLD_SIZE, start_method="fork")
    print("checkpoint/ holds:")
    for name in sorted(os.listdir("checkpoint")):
        print(f"  {name:<14} {os.path.getsize(os.path.join('checkpoint', name)):>6} bytes")
