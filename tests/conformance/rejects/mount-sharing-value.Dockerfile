FROM scratch
RUN --mount=type=cache,target=/x,sharing=shard true
