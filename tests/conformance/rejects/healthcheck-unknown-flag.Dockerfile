FROM scratch
HEALTHCHECK --foo CMD true
