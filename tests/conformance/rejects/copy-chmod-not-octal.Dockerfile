FROM scratch
COPY --chmod=888 a /b
