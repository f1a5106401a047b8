FROM scratch
RUN --mount=type=bind,target=/x,ro=maybe true
