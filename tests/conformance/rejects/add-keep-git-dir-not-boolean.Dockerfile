FROM scratch
ADD --keep-git-dir=1 https://github.com/moby/buildkit.git /src
