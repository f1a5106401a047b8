FROM alpine AS build
RUN --mount=from=build,target=/src true
