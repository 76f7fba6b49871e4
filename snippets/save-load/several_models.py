import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(0)
generator = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
discriminator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
opt_g = optim.Adam(generator.parameters(), lr=2e-4)
opt_d = optim.Adam(discriminator.parameters(), lr=2e-4)

# One file, one dict, one key per object. Any names work,
# as long as loading uses the same ones.
torch.save({
    "generator": generator.state_dict(),
    "discriminator": discriminator.state_dict(),
    "opt_g": opt_g.state_dict(),
    "opt_d": opt_d.state_dict(),
}, "gan.pt")

checkpoint = torch.load("gan.pt")
print("keys in the file:", list(checkpoint))
new_generator = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
new_discriminator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
print("G:", new_generator.load_state_dict(checkpoint["generator"]))
print("D:", new_discriminator.load_state_dict(checkpoint["discriminator"]))
optim.Adam(new_generator.parameters()).load_state_dict(checkpoint["opt_g"])
optim.Adam(new_discriminator.parameters()).load_state_dict(checkpoint["opt_d"])
print("both optimizers restored")
