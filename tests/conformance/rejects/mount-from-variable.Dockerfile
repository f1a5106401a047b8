ARG DEPS=deps
FROM scratch
RUN --mount=from=$DEPS,target=/deps true
