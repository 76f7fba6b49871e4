# Run after: make_payload.py
import os
import shutil
import subprocess
import sys

# The `picklescan` command exits 1 when it finds a dangerous global: a CI step can fail on that.
command = shutil.which("picklescan") or os.path.join(os.path.dirname(sys.executable), "picklescan")
scan = subprocess.run([command, "--path", "suspicious.pt"], capture_output=True, text=True)
print(scan.stdout.strip())
print("picklescan --path suspicious.pt -> exit code", scan.returncode)

# `python -m picklescan` prints the same report but, in picklescan 1.0.5, always exits 0.
scan = subprocess.run([sys.executable, "-m", "picklescan", "--path", "suspicious.pt"], capture_output=True, text=True)
print("python -m picklescan --path suspicious.pt -> exit code", scan.returncode)
