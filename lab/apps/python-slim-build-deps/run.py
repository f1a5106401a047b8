"""Reads its greeting from config/ at run time and the loopback address through netifaces
(a C extension compiled at `pip install`)."""
import json
import pathlib

import netifaces

config = json.loads(pathlib.Path("config/settings.json").read_text())
print("greeting:", config["greeting"])
print("lo:", netifaces.ifaddresses("lo")[netifaces.AF_INET][0]["addr"])
