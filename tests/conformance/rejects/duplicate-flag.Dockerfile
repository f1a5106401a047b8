FROM scratch AS a
FROM scratch
COPY --from=a --from=a x /y
