FROM scratch
COPY --link= a /b
