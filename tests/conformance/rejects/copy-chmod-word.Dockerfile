FROM scratch
COPY --chmod=abc a /b
