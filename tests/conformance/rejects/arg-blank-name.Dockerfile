FROM scratch
ARG =x
