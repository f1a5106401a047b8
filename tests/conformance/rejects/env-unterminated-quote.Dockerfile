FROM scratch
ENV GREETING="hello
