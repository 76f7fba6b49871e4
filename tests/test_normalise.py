"""What the runner removes from a snippet's output before a page shows it: only what differs between machines and
runs (folders, memory addresses, log timestamps, a CPU probe), never the program's own lines. A traceback names
the snippet as the reader runs it: `python example.py` in an empty folder."""
import sysconfig
from pathlib import Path

from tools.snippet_runner import normalise

WORKDIR = Path("/tmp/run-123/work")
RAN_AS = Path("/tmp/pmf-abcdefgh/s/save-load/example.py")


def test_folders_and_addresses_are_replaced():
    site = sysconfig.get_paths()["purelib"]
    text = (f'File "{RAN_AS}", line 3\nsaved {WORKDIR}/model.pt\n{site}/torch/serialization.py\n'
            "<Net object at 0x7f3a2b1c4d50>\n")
    assert normalise(text, WORKDIR, RAN_AS) == (
        'File "example.py", line 3\nsaved ./model.pt\n<site-packages>/torch/serialization.py\n'
        "<Net object at 0x…>\n")


def test_log_timestamps_go_and_the_message_stays():
    text = "W1129 14:07:05.190000 5061 torch/onnx/_internal.py:107] Exporting with dynamo\n"
    assert normalise(text, WORKDIR, RAN_AS) == "W torch/onnx/_internal.py:107] Exporting with dynamo\n"


def test_executorch_cpu_probe_goes_and_the_program_output_stays():
    text = ("methods      : ['forward']\n"
            "[cpuinfo_utils.cpp:71] Reading file /sys/devices/soc0/image_version\n"
            "[cpuinfo_utils.cpp:125] CPU info and manual query on # of cpus dont match.\n"
            "[program.cpp:12] kept: not the CPU probe\n"
            "output shape : (3, 2)\n")
    assert normalise(text, WORKDIR, RAN_AS) == (
        "methods      : ['forward']\n[program.cpp:12] kept: not the CPU probe\noutput shape : (3, 2)\n")
