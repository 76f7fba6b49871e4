"""A job killed while it writes its checkpoint: saving in place loses the last good checkpoint, saving to a
temporary file and renaming it does not."""
import os
import resource
import signal
import tempfile

import torch
import torch.multiprocessing as mp


def save_in_place(obj, path):
    torch.save(obj, path)


def save_atomically(obj, path):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pt")  # same file system as path
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())  # the bytes are on disk before the name points at them
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never half of one
    except BaseException:
        os.unlink(tmp)
        raise


def saving_child(save, path):
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores this signal; let it kill, as by default
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, resource.RLIM_INFINITY))  # 1 MB per file, at most
    save({"weights": torch.zeros(1_000_000), "step": 2}, path)


def killed_while_saving(save, path):
    """Run save() in a new process that the system kills once it writes past 1 MB, the way a SIGKILL, an
    out-of-memory kill or a power cut stops a job: no except, no finally, no cleanup runs."""
    process = mp.get_context("spawn").Process(target=saving_child, args=(save, path))
    process.start()
    process.join()
    return signal.Signals(-process.exitcode).name if process.exitcode < 0 else process.exitcode


if __name__ == "__main__":
    for save in (save_in_place, save_atomically):
        torch.save({"weights": torch.zeros(1_000_000), "step": 1}, "checkpoint.pt")  # the last good one
        code = killed_while_saving(save, "checkpoint.pt")
        try:
            step = torch.load("checkpoint.pt")["step"]
            result = f"checkpoint.pt still loads: step {step}"
        except Exception as error:
            result = f"checkpoint.pt is broken: {type(error).__name__}: {error}"
        leftovers = sorted(n for n in os.listdir(".") if n.startswith(".tmp-"))
        print(f"{save.__name__}: the saving process was killed ({code}); {result}")
        for name in leftovers:  # a half-written temporary file: delete such files when the job starts again
            print(f"    left behind: a temporary file of {os.path.getsize(name):,} bytes")
            os.remove(name)
