ARG SRC=build
FROM scratch AS build
FROM scratch
COPY --from=$SRC /a /b
