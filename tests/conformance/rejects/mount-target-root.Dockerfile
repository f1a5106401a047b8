FROM scratch
RUN --mount=type=cache,target=/ true
