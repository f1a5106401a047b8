FROM scratch AS build
COPY --from=app /a /b
FROM scratch AS app
