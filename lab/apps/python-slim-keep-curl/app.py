"""Reads a file fetched with curl at build time, runs curl at run time, reads its config
from the working directory and the loopback address through netifaces (a C extension
compiled at `pip install`)."""
import hashlib
import json
import pathlib
import subprocess

import netifaces

config = json.loads(pathlib.Path("config/settings.json").read_text())
print("greeting:", config["greeting"])
print("lo:", netifaces.ifaddresses("lo")[netifaces.AF_INET][0]["addr"])
tgz = pathlib.Path("/opt/is-number.tgz").read_bytes()
print("is-number sha256:", hashlib.sha256(tgz).hexdigest()[:16])
version = subprocess.run(["curl", "--version"], capture_output=True, text=True, check=True)
print("runs:", version.stdout.split()[0])
