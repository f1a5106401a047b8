FROM scratch
COPY --parents=yes a /b
