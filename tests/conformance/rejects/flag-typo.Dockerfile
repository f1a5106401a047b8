FROM scratch AS a
FROM scratch
COPY --form=a x /y
