FROM scratch
COPY --user=app a /b
