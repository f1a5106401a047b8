FROM scratch
COPY --from=5 /a /b
