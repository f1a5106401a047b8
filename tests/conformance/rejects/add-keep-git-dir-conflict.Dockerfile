FROM alpine
ADD --keep-git-dir=false https://github.com/moby/buildkit.git?keep-git-dir=true /src
