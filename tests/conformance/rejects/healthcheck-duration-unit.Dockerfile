FROM scratch
HEALTHCHECK --interval=5 CMD true
