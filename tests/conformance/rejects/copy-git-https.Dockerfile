FROM alpine
COPY https://github.com/moby/buildkit.git /src
