#!/bin/sh
# Prints what the build fetched, verified and cloned.
set -e
echo "left-pad $(sed -n 's/.*"version": "\(.*\)".*/\1/p' /opt/tools/left-pad/package.json)"
echo "is-number $(sed -n 's/.*"version": "\(.*\)".*/\1/p' /opt/tools/is-number/package.json)"
echo "release: $(cat /opt/tools/release.txt)"
echo "notes: $(git -C /opt/notes log -1 --format=%s)"
