FROM alpine
ADD https://github.com/moby/buildkit.git?depth=1 /src
