"""Stop a training run in the middle of an epoch, resume it from a checkpoint, and compare every loss with a run
that was never stopped. Then leave out one piece of the checkpoint at a time and see where each run drifts."""
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, Sampler

STEPS, STOP_AT, BATCH = 36, 17, 8  # 12 steps per epoch: the run stops 5 steps into epoch 2


class Noisy(Dataset):
    """A fixed data set plus augmentation that draws from Python's and NumPy's global random generators."""

    def __init__(self):
        g = torch.Generator().manual_seed(123)
        self.x = torch.randn(96, 4, generator=g)
        self.y = self.x.sum(dim=1, keepdim=True)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        jitter = float(np.random.normal(0, 0.05)) + random.uniform(-0.05, 0.05)
        return self.x[i] + jitter, self.y[i]


class ResumableShuffle(Sampler):
    """Shuffles like shuffle=True, and can start part-way through an epoch without loading the skipped samples
    (loading them would run their augmentation and move the random generators on)."""

    def __init__(self, size, generator):
        self.size, self.generator, self.skip = size, generator, 0

    def __len__(self):
        return self.size - self.skip

    def __iter__(self):
        order = torch.randperm(self.size, generator=self.generator).tolist()
        start, self.skip = self.skip, 0
        return iter(order[start:])


def build():
    model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.7)  # stepped every batch
    scaler = torch.amp.GradScaler("cpu", growth_interval=4)  # its scale moves during the run
    order = torch.Generator()  # the data order, on its own generator (the loader draws its seeds from it too)
    data = Noisy()
    loader = DataLoader(data, batch_size=BATCH, sampler=ResumableShuffle(len(data), order), generator=order)
    return model, optimizer, scheduler, scaler, order, loader


def checkpoint(parts, step, epoch_start_order):
    model, optimizer, scheduler, scaler, _, _ = parts
    return {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(), "scaler": scaler.state_dict(),
            "torch_rng": torch.get_rng_state(), "numpy_rng": np.random.get_state(),
            "python_rng": random.getstate(),
            "order": epoch_start_order,  # the shuffler as it was when this epoch began
            "step": step}                # how many batches are done: the epoch and the place in it


def restore(parts, ckpt, leave_out):
    model, optimizer, scheduler, scaler, order, _ = parts
    model.load_state_dict(ckpt["model"])  # without the weights there is nothing to resume
    for name, obj in (("optimizer", optimizer), ("scheduler", scheduler), ("scaler", scaler)):
        if name not in leave_out:
            obj.load_state_dict(ckpt[name])
    if "torch RNG" not in leave_out:
        torch.set_rng_state(ckpt["torch_rng"])
    if "NumPy RNG" not in leave_out:
        np.random.set_state(ckpt["numpy_rng"])
    if "Python RNG" not in leave_out:
        random.setstate(ckpt["python_rng"])
    if "data order" not in leave_out:
        order.set_state(ckpt["order"])
    return 0 if "step" in leave_out else ckpt["step"]  # without it: start the epoch over


def train(parts, first_step, stop_at=None):
    model, optimizer, scheduler, scaler, order, loader = parts
    losses, step, saved = [], first_step, None
    while step < STEPS:
        epoch_start_order = order.get_state()
        loader.sampler.skip = step % (len(loader.dataset) // BATCH) * BATCH  # mid-epoch: the batches not yet done
        for x, y in loader:
            with torch.autocast("cpu", dtype=torch.float16):
                loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            losses.append(loss.item())
            step += 1
            if step == stop_at:
                return losses, checkpoint(parts, step, epoch_start_order)
    return losses, saved


def new_process():
    """What a restarted job has: new objects, and random generators that are in some other state."""
    random.seed(999), np.random.seed(999), torch.manual_seed(999)
    return build()


torch.manual_seed(0), np.random.seed(0), random.seed(0)
parts = build()
parts[4].manual_seed(0)
straight, _ = train(parts, 0)

torch.manual_seed(0), np.random.seed(0), random.seed(0)
parts = build()
parts[4].manual_seed(0)
before, ckpt = train(parts, 0, stop_at=STOP_AT)  # the job is killed here
torch.save(ckpt, "checkpoint.pt")

pieces = ["optimizer", "scheduler", "scaler", "torch RNG", "NumPy RNG", "Python RNG", "data order", "step"]
print(f"{'left out':<12} result (losses compared with ==, {STEPS} steps, stopped after {STOP_AT})")
for leave_out in [None] + pieces:
    parts = new_process()
    first = restore(parts, torch.load("checkpoint.pt", weights_only=False), {leave_out})
    after, _ = train(parts, first)
    resumed = before + after
    if resumed == straight:
        verdict = "identical to the run that never stopped"
    else:
        drift = next((i for i, (a, b) in enumerate(zip(resumed, straight)) if a != b), min(len(resumed), len(straight)))
        verdict = f"differs from step {drift + 1}; final loss {resumed[-1]:.4f} vs {straight[-1]:.4f}"
        if len(resumed) != len(straight):
            verdict += f" after {len(resumed)} steps instead of {len(straight)}"
    print(f"{leave_out or 'nothing':<12} {verdict}")
