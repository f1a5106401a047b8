FROM scratch
VOLUME
