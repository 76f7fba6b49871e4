import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 4
STOP_AFTER = 2  # pretend the job is killed after epoch 2


def make_data():
    g = torch.Generator().manual_seed(123)  # the data set itself is fixed
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


torch.manual_seed(0)  # weights and dropout masks
model, optimizer, scheduler = build()
# The DataLoader's own source of shuffling.
shuffle = torch.Generator().manual_seed(0)
loader = DataLoader(make_data(), batch_size=16, shuffle=True, generator=shuffle)

losses = []
for epoch in range(STOP_AFTER):
    losses.append(train_one_epoch(model, optimizer, scheduler, loader))
    print(f"epoch {epoch + 1}: loss {losses[-1]:.6f}")
    torch.save({
        "epoch": epoch,                       # last finished epoch, 0-based
        "losses": losses,                     # history, to plot and compare
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),  # momentum buffers, lr
        "scheduler": scheduler.state_dict(),  # where the schedule is
        "torch_rng": torch.get_rng_state(),   # the next dropout masks
        "shuffle_rng": shuffle.get_state(),   # the next epoch's order
    }, "checkpoint.pt")
print("interrupted; checkpoint.pt holds epoch", epoch + 1)
