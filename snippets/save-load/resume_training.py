# Run after: train_and_checkpoint.py
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 4


def make_data():
    g = torch.Generator().manual_seed(123)
    x = torch.randn(64, 4, generator=g)
    y = x.sum(dim=1, keepdim=True) + 0.1 * torch.randn(64, 1, generator=g)
    return TensorDataset(x, y)


def build():
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(16, 1))
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
    return model, optimizer, scheduler


def train_one_epoch(model, optimizer, scheduler, loader):
    model.train()
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    scheduler.step()
    return total / len(loader)


# --8<-- [start:resume]
def resume(skip=()):
    torch.manual_seed(0)  # what the script does when it starts, as before
    model, optimizer, scheduler = build()
    shuffle = torch.Generator().manual_seed(0)
    # Tensors, numbers, lists, dicts: fine with weights_only=True.
    checkpoint = torch.load("checkpoint.pt")
    model.load_state_dict(checkpoint["model"])  # the keys used when saving
    if "optimizer" not in skip:
        optimizer.load_state_dict(checkpoint["optimizer"])
    if "scheduler" not in skip:
        scheduler.load_state_dict(checkpoint["scheduler"])
    if "RNG states" not in skip:
        torch.set_rng_state(checkpoint["torch_rng"])
        shuffle.set_state(checkpoint["shuffle_rng"])
    loader = DataLoader(make_data(), batch_size=16, shuffle=True,
                        generator=shuffle)
    losses = list(checkpoint["losses"])
    for epoch in range(checkpoint["epoch"] + 1, EPOCHS):
        losses.append(train_one_epoch(model, optimizer, scheduler, loader))
    return losses


def uninterrupted():
    torch.manual_seed(0)
    model, optimizer, scheduler = build()
    shuffle = torch.Generator().manual_seed(0)
    loader = DataLoader(make_data(), batch_size=16, shuffle=True,
                        generator=shuffle)
    return [train_one_epoch(model, optimizer, scheduler, loader)
            for _ in range(EPOCHS)]


runs = {"uninterrupted": uninterrupted(), "resumed": resume()}
for part in ["optimizer", "scheduler", "RNG states"]:
    runs[f"no {part}"] = resume(skip={part})

straight = runs["uninterrupted"]
print("epoch" + "".join(f"{name:>14}" for name in runs))
for epoch in range(EPOCHS):
    # Three decimals: from the sixth on, float32 results depend on the CPU (its vector width and fused
    # multiply-add change the rounding), so they would differ on your machine.
    row = "".join(f"{run[epoch]:>14.3f}" for run in runs.values())
    print(f"{epoch + 1:>5}" + row)
# Exact comparison of the floats, not of the rounded text.
print("equal" + "".join(f"{str(run == straight):>14}" for run in runs.values()))
# --8<-- [end:resume]
