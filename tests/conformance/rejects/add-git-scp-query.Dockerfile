FROM alpine
ADD git@github.com:moby/buildkit.git?depth=1 /src
