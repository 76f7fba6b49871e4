# Run after: make_payload.py
from picklescan.scanner import scan_file_path

# picklescan reads the pickles inside the file without running them and flags the globals it knows to be
# dangerous (a blocklist). It needs neither torch nor the classes the file refers to.
for name in ["clean.pt", "suspicious.pt"]:
    result = scan_file_path(name)
    print(f"{name}: infected files {result.infected_files}, dangerous globals {result.issues_count}, "
          f"scan error {result.scan_err}")
    for found in sorted(result.globals, key=lambda g: (g.module, g.name)):
        print(f"    {found.module}.{found.name}: {found.safety.value}")
