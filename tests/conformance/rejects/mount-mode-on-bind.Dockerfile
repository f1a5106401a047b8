FROM scratch
RUN --mount=type=bind,target=/x,mode=0755 true
