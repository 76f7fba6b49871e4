# Run after: save_model.py
import torch


def file_mappings(path):
    # Linux: /proc/self/maps lists every address range of this process, with the file it maps.
    ranges = []
    for line in open("/proc/self/maps"):
        fields = line.split()
        if len(fields) == 6 and fields[5].endswith(path):
            start, end = (int(x, 16) for x in fields[0].split("-"))
            ranges.append((start, end))
    return ranges


def backed_by_file(tensor, path):
    address = tensor.untyped_storage().data_ptr()
    return any(start <= address < end for start, end in file_mappings(path))


copied = torch.load("model.pt")             # reads every tensor into freshly allocated memory
mapped = torch.load("model.pt", mmap=True)  # maps the file: tensor memory *is* the file's pages

for name in ["layers.0.weight", "layers.2.bias"]:
    print(f"{name:16} copied: in the file mapping {backed_by_file(copied[name], 'model.pt')}; "
          f"mmap=True: in the file mapping {backed_by_file(mapped[name], 'model.pt')}")
print("same values:", all(torch.equal(copied[k], mapped[k]) for k in copied))
