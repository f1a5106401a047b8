FROM scratch
ADD --checksum https://example.com/a /b
