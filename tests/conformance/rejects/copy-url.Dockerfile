FROM scratch
COPY https://example.com/a.tar.gz /b
