FROM scratch
RUN --mount=type=bind,target=/x,z true
