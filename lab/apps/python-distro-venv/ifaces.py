"""Prints the loopback address through netifaces (a C extension compiled at `pip install`)
and the interpreter the venv runs on."""
import sys

import netifaces

print("prefix:", sys.prefix)
print("lo:", netifaces.ifaddresses("lo")[netifaces.AF_INET][0]["addr"])
