"""Prints the loopback address (netifaces, built from source) and a fetched checksum."""
import hashlib
import pathlib

import netifaces

print("lo:", netifaces.ifaddresses("lo")[netifaces.AF_INET][0]["addr"])
print("is-number sha256:", hashlib.sha256(pathlib.Path("/opt/is-number.tgz").read_bytes()).hexdigest()[:16])
