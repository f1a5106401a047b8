FROM alpine:3.20
ADD https://github.com/moby/buildkit.git?subdir=docs#master:frontend/ /src
