FROM scratch
RUN --mount=type=cache,target=/x,size=1g true
