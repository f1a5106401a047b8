FROM scratch
EXPOSE
