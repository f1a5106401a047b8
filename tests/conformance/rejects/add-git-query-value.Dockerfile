FROM alpine
ADD https://github.com/moby/buildkit.git?keep-git-dir=maybe /src
