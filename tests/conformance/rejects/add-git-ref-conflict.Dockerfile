FROM alpine:3.20
ADD https://github.com/moby/buildkit.git?tag=v0.13.0#refs/heads/master /src
