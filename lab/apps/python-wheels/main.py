"""Renders a YAML document to escaped HTML with two compiled-wheel packages."""
import yaml
from markupsafe import escape

DOC = """
title: Fish & Chips
items: [cod, <haddock>]
"""

data = yaml.load(DOC, Loader=yaml.CSafeLoader)  # the C loader exists only in the compiled wheel
print(f"<h1>{escape(data['title'])}</h1>")
print("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in data["items"]) + "</ul>")
