FROM scratch
ENV ONLY_KEY
FOO bar
