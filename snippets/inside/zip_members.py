import struct
import zipfile

import torch
import torch.nn as nn

torch.manual_seed(0)
torch.save(nn.Linear(3, 2).state_dict(), "tiny.pt")


def data_offset(archive, member):
    # Where the member's bytes start: after its 30-byte local header, its name and its "extra" padding.
    archive.fp.seek(member.header_offset)
    name_length, extra_length = struct.unpack("<26xHH", archive.fp.read(30))
    return member.header_offset + 30 + name_length + extra_length


# A torch.save file is an ordinary zip archive, stored without compression (compress_type 0).
with zipfile.ZipFile("tiny.pt") as archive:
    print(f"{'member':30} {'bytes':>5} {'starts at':>9}")
    for member in archive.infolist():
        print(f"{member.filename:30} {member.file_size:5} {data_offset(archive, member):9}"
              f"  compress_type={member.compress_type}")
    folder = archive.namelist()[0].split("/")[0]
    # The small text members.
    for name in ["byteorder", "version", ".format_version", ".storage_alignment"]:
        print(f"{name:19} = {archive.read(f'{folder}/{name}').decode()!r}")
