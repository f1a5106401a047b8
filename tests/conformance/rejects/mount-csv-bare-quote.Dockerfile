FROM alpine
RUN --mount='type=cache,target=/x,id="a"b' true
