FROM scratch
ADD --chmod 777 a /b
