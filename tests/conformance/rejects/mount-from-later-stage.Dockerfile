FROM scratch AS build
RUN --mount=from=deps,target=/deps true
FROM scratch AS deps
