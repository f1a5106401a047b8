FROM alpine
ADD --checksum=0123456789abcdef0123456789abcdef01234567 https://github.com/moby/buildkit.git?commit=89abcdef0123456789abcdef0123456789abcdef /src
