FROM scratch
EXPOSE 80/http
