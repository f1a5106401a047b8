FROM alpine
COPY git@github.com:moby/buildkit.git /src
