"""Lists the network interfaces and the loopback address through netifaces (a C extension)."""
import netifaces

names = netifaces.interfaces()
print("interfaces:", " ".join(sorted(names)))
print("lo:", netifaces.ifaddresses("lo")[netifaces.AF_INET][0]["addr"])
