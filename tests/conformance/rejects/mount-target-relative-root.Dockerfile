FROM scratch
WORKDIR /
RUN --mount=type=cache,target=. true
