FROM scratch
RUN --mount=type=cache,dest=/x true
